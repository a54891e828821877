"""The production settings the README documents pass Django's deployment checks: HSTS on
(with a switch for a first deployment), the https redirect left to the load balancer."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECRET_KEY": "a-production-length-secret-key-" + "x7Kq2mP9vR4wL8nT3zY6" * 3,
    "ALLOWED_HOSTS": "recoveryfinder.example",
    "CSRF_TRUSTED_ORIGINS": "https://recoveryfinder.example",
    "CACHE_URL": "redis://127.0.0.1:6379/0",  # not contacted by the checks
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # As a production host would run it: none of the test run's own switches (the browser
    # tests allow the ORM in Playwright's event loop, which the deploy check rightly refuses).
    ignored = {"DEBUG", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in ignored}
    environment.update(PRODUCTION, **env)
    return subprocess.run([sys.executable, "manage.py", *args], env=environment,
                          capture_output=True, text=True, cwd=django_settings.BASE_DIR)


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_first_deployment_can_turn_hsts_off_and_the_check_says_so():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_without_a_shared_cache_the_check_warns_that_sign_in_counts_are_per_process():
    result = manage("check", "--deploy", "--fail-level", "WARNING", CACHE_URL="")
    assert "axes.W001" in result.stderr


def test_https_requests_get_hsts_for_a_year_with_subdomains(client):
    response = client.get("/privacy/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_http_is_neither_redirected_nor_given_hsts_here(client):
    # The load balancer redirects http to https before a request reaches us.
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_the_scheme_is_taken_from_the_load_balancer():
    assert django_settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert django_settings.SECURE_SSL_REDIRECT is False
    assert django_settings.SECURE_HSTS_PRELOAD is False
