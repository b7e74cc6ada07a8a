"""gunicorn settings for a deployment: systemd's qualityaward-web.service and the Compose
web service both run `gunicorn --config deploy/gunicorn.conf.py` (docs/deployment.md).

nginx terminates TLS in front and buffers uploads, so the sync workers never wait on a
slow client. Celery beat runs the daily jobs here, so unlike the top-level
gunicorn.conf.py (for `make run`) nothing else is started.

Read from the environment by gunicorn itself: WEB_CONCURRENCY (workers; default below)
and FORWARDED_ALLOW_IPS (who may set X-Forwarded-Proto; default 127.0.0.1, the local nginx).
"""

import multiprocessing
import os

wsgi_app = "qualityaward.wsgi:application"
bind = ["127.0.0.1:8000"]
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A PDF or a large export may take a while; nginx waits a little longer (proxy_read_timeout).
timeout = 120
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow for weeks.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
