"""Staff sign-in in a real browser: a superuser sets up an authenticator app, signs in
again with its code, and the pages pass axe; a run of wrong passwords meets a kind pause."""

import time
from base64 import b32decode

import pytest
from django.core.cache import caches
from django_otp.oath import TOTP

from .conftest import PHONE, WCAG_22_AA, save_screenshot

pytestmark = pytest.mark.browser

PASSWORD = "a-long-passphrase-1"


def accessible(page, axe) -> None:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def code_for(key: str, later: int = 0) -> str:
    """What an authenticator app shows for the key typed in from the set-up page."""
    totp = TOTP(b32decode(key.replace(" ", "")))
    totp.time = time.time() + later * 30
    return f"{totp.token():06d}"


@pytest.fixture
def chief(live_server, transactional_db):
    from django.contrib.auth.models import User

    caches["signin"].clear()
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    yield live_server.url
    caches["signin"].clear()


def sign_in(page, url: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/admin/login/?next=/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def test_a_superuser_sets_up_the_app_then_signs_in_with_its_code(chief, browser_page, axe):
    page = browser_page
    sign_in(page, chief)
    page.wait_for_url("**/admin/two-step/set-up/**")
    assert page.locator("svg.qr path").count() == 1
    accessible(page, axe)
    key = page.locator(".key").inner_text()
    page.fill("#id_code", code_for(key))
    used_step = int(time.time() // 30)
    page.click("input[type=submit]")
    assert page.locator(".codes li").count() == 10
    accessible(page, axe)
    page.click("text=I have kept them: continue")
    page.wait_for_url("**/admin/")

    page.click("#logout-form button")
    sign_in(page, chief)
    page.wait_for_url("**/admin/two-step/code/**")
    page.set_viewport_size(PHONE)
    accessible(page, axe)
    save_screenshot(page, "staff-two-step-code-phone")
    page.fill("#id_code", "123")
    page.click("input[type=submit]")
    assert "That code didn't work" in page.locator(".errorlist").inner_text()
    accessible(page, axe)
    # The code just used works only once: type the next one, or today's if time has moved on
    # (a slow run can pass a step boundary, and a code two steps ahead is refused).
    page.fill("#id_code", code_for(key, later=1 if time.time() // 30 <= used_step else 0))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.locator("text=Two-step sign-in").count() == 1


def test_wrong_passwords_meet_a_kind_pause(chief, browser_page, axe):
    page = browser_page
    for _ in range(5):
        sign_in(page, chief, password="not-the-password")
    assert page.locator("h1").inner_text() == "Signing in is paused"
    assert "paused for 15 minutes" in page.content()
    accessible(page, axe)
    save_screenshot(page, "staff-sign-in-paused")
