# Sample gunicorn configuration for serving against PostgreSQL:
#   EQUALITY_STORE=postgresql://equality:PASSWORD@db.internal/equality \
#   gunicorn -c deploy/gunicorn.conf.py wsgi:app
# Put it behind an HTTPS reverse proxy: session cookies are Secure.
import multiprocessing
import os

bind = os.environ.get("EQUALITY_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one worker; the work is short (a few store reads, one commit)
# and mostly CPU, from memory. One worker per core: on 2 cores, 5 workers served a third fewer
# pages than 2 (bench/run.py --workers 5), and each worker holds the store's records.
workers = int(os.environ.get("EQUALITY_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
# Each worker opens its own connection pool after the fork: no database connection is shared.
preload_app = False
timeout = 60
graceful_timeout = 30
# No max_requests: each worker holds the store's records in memory, and a recycled
# worker would reload them all.
accesslog = "-"
forwarded_allow_ips = os.environ.get("EQUALITY_PROXY_IPS", "127.0.0.1")
