"""gunicorn for the bench: no access log, no daily-jobs companion."""

wsgi_app = "qualityaward.wsgi:application"
pythonpath = "src,."
accesslog = None
errorlog = "-"
loglevel = "warning"
timeout = 120
