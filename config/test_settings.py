"""Test overrides only. Each parallel test run may pick its own database via TEST_DB_SUFFIX."""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES

DEBUG = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["TEST"] = {"NAME": "test_partnering" + os.getenv("TEST_DB_SUFFIX", "")}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The read replica as a mirror of the test database (Django's TEST MIRROR): no router is
# configured, so nothing reads it unless a test switches SuggestionReadRouter on
# (tests/matchmaking/test_replica_reads.py).
DATABASES["replica"] = {
    **DATABASES["default"],
    "ATOMIC_REQUESTS": False,
    "TEST": {"MIRROR": "default"},
}
