"""Local development: DEBUG on, e-mails on the console, embedded SQLite unless DATABASE_URL is set."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("MAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: F403

# Development serves static files from the apps directly (no collectstatic, no hashing).
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
