"""gunicorn's settings, read from the environment (docs/deploy.md lists them)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Synchronous workers: the views are short and the database does the waiting. 2 per core by default.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A worker is replaced after this many requests (bounded memory), with jitter so they do not all restart.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only the proxies listed may set X-Forwarded-Proto (HTTPS detection); Django reads the client address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The access log carries no query strings: personal data never travels in URLs, and nothing is logged if so.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(D)sµs'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
