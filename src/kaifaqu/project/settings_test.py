"""Settings for the test suite: the production settings, with test-only secrets filled in."""

import os

os.environ.setdefault("KAIFAQU_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("KAIFAQU_SECURE_COOKIES", "false")
os.environ.setdefault("KAIFAQU_SSL_REDIRECT", "false")

from kaifaqu.project.settings import *  # noqa: F403
from kaifaqu.project.settings import DATABASES, STORAGES

# The browser tests' live server serves static files straight from the finders (no collectstatic).
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # production sets a path
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A run of its own gets its own test database, so CI and a developer's run never meet.
if test_database := os.environ.get("KAIFAQU_TEST_DATABASE"):
    DATABASES["default"]["TEST"] = {"NAME": test_database}
