"""The baseline: a bare Flask app with one route, served by the same gunicorn
configuration as the real app (bench/run.py), so that a ratio to its
throughput cancels out the machine, gunicorn and the load generator.

    gunicorn -c deploy/gunicorn.conf.py --pythonpath bench bare:app
"""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
