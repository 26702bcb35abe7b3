"""Test settings: fast hashing, in-memory mail, tasks run immediately."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("MAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Tests render pages without running collectstatic.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Uploaded documents stay in memory: no test writes under var/media.
STORAGES["default"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
# Each test process counts alone in memory; production shares Redis or the database cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]  # LocMem: one process per test
