"""Configuration from the environment: production refuses to start without a secret key."""

import os
import sqlite3
import subprocess
import sys

import pytest

from tools.serving import PROJECT

# Each test starts Python afresh: `make test-quick` leaves these out.
pytestmark = pytest.mark.drill


def settings_value(name, **environment):
    """Import the site's settings in a fresh process with only the given environment."""
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "network.settings",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = settings_value("SECRET_KEY", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_has_a_development_key():
    result = settings_value("SECRET_KEY", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_a_migrated_sqlite_database_uses_write_ahead_logging(tmp_path):
    """So the server's workers read while another process writes (tests run on an in-memory database)."""
    database = tmp_path / "site.sqlite3"
    environment = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "network.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"], cwd=PROJECT, env=environment, capture_output=True
    )
    assert migrate.returncode == 0, migrate.stderr
    # A new connection, as each server process makes: the mode is the database file's own.
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_site_url_defaults_to_the_first_allowed_host_over_https():
    result = settings_value("SITE_URL", SECRET_KEY="x" * 50, ALLOWED_HOSTS="www.example.gov.uk,example.gov.uk")
    assert result.stdout.strip() == "https://www.example.gov.uk"


def test_site_url_in_development_is_the_development_server():
    assert settings_value("SITE_URL", DEBUG="true").stdout.strip() == "http://127.0.0.1:8000"


def test_site_url_from_the_environment_wins():
    result = settings_value(
        "SITE_URL", SECRET_KEY="x" * 50, ALLOWED_HOSTS="app.internal", SITE_URL="https://www.example.gov.uk/"
    )
    assert result.stdout.strip() == "https://www.example.gov.uk"


def test_site_url_is_required_when_no_allowed_host_names_the_site():
    result = settings_value("SITE_URL", SECRET_KEY="x" * 50, ALLOWED_HOSTS=".example.gov.uk")
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_fact_check_links_last_30_days_unless_the_environment_says_otherwise():
    assert settings_value("FACT_CHECK_LINK_DAYS", DEBUG="true").stdout.strip() == "30"
    assert settings_value("FACT_CHECK_LINK_DAYS", DEBUG="true", FACT_CHECK_LINK_DAYS="14").stdout.strip() == "14"
    result = settings_value("FACT_CHECK_LINK_DAYS", DEBUG="true", FACT_CHECK_LINK_DAYS="120")
    assert result.returncode != 0
    assert "FACT_CHECK_LINK_DAYS must be at least 1 and at most FACT_CHECK_LINK_MAX_DAYS" in result.stderr


def test_link_checks_take_their_limits_from_the_environment_and_refuse_none():
    assert settings_value("LINK_CHECK_PER_HOST", DEBUG="true").stdout.strip() == "2"
    assert settings_value("LINK_CHECK_TIMEOUT", DEBUG="true", LINK_CHECK_TIMEOUT="2.5").stdout.strip() == "2.5"
    result = settings_value("LINK_CHECK_PER_HOST", DEBUG="true", LINK_CHECK_PER_HOST="0")
    assert result.returncode != 0
    assert "LINK_CHECK_CONCURRENCY and LINK_CHECK_PER_HOST at least 1" in result.stderr


def test_link_checks_ask_no_private_network_unless_the_environment_names_it():
    assert settings_value("LINK_CHECK_PRIVATE_NETWORKS", DEBUG="true").stdout.strip() == "[]"
    networks = settings_value(
        "LINK_CHECK_PRIVATE_NETWORKS", DEBUG="true", LINK_CHECK_PRIVATE_NETWORKS="10.1.0.0/16,fd00::/8"
    )
    assert networks.stdout.strip() == "[IPv4Network('10.1.0.0/16'), IPv6Network('fd00::/8')]"
    result = settings_value("LINK_CHECK_PRIVATE_NETWORKS", DEBUG="true", LINK_CHECK_PRIVATE_NETWORKS="10.1.0.1/16")
    assert result.returncode != 0
    assert "LINK_CHECK_PRIVATE_NETWORKS: 10.1.0.1/16 has host bits set" in result.stderr
