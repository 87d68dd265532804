"""Settings for the test suite: the product's settings with a test-only secret and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-secret-key")
# The test client and live servers speak plain http; tests of HTTPS use the production settings.
os.environ.setdefault("HTTPS", "false")
# The test client's host, as the origin of absolute URLs.
os.environ.setdefault("SITE_URL", "http://testserver")
# The other sites that link checks ask are servers on 127.0.0.1 (tests/helpers.py: local_site).
os.environ.setdefault("LINK_CHECK_PRIVATE_NETWORKS", "127.0.0.1/32")

from network.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render pages without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
