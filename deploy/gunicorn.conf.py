# Sample gunicorn configuration for serving against PostgreSQL:
#   EQUALITY_STORE=postgresql://equality:PASSWORD@db.internal/equality \
#   gunicorn -c deploy/gunicorn.conf.py wsgi:app
# Put it behind an HTTPS reverse proxy: session cookies are Secure.
import multiprocessing
import os

bind = os.environ.get("EQUALITY_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one worker; the work is short (a few store reads, one commit).
workers = int(os.environ.get("EQUALITY_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Each worker opens its own connection pool after the fork: no database connection is shared.
preload_app = False
timeout = 60
graceful_timeout = 30
# No max_requests: each worker holds the store's records in memory, and a recycled
# worker would reload them all.
accesslog = "-"
forwarded_allow_ips = os.environ.get("EQUALITY_PROXY_IPS", "127.0.0.1")
