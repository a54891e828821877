"""manage.py remove_second_factor USERNAME: for a staff member who lost their phone."""

import io

import pytest
from django.core.management import CommandError, call_command

from signin import devices
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("remove_second_factor", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def chief(client, django_user_model):
    user = django_user_model.objects.create_user("chief", is_staff=True, is_superuser=True)
    sign_in(client, user)
    devices.new_backup_codes(user)
    return user


def test_it_removes_the_app_and_the_backup_codes(chief, client):
    assert "Removed 2 second-step device(s) of chief" in run("chief")
    assert not devices.has_second_step(chief)
    assert devices.backup_codes_left(chief) == 0


def test_a_superuser_is_asked_to_set_it_up_again(chief, client):
    output = run("chief")
    assert "asked to set it up again" in output
    client.logout()
    client.force_login(chief)
    assert client.get("/admin/")["Location"].startswith("/admin/two-step/set-up/")


def test_a_dry_run_removes_nothing(chief):
    assert "Would remove 2" in run("chief", "--dry-run")
    assert devices.has_second_step(chief)


def test_an_account_without_a_second_step_is_said_so(django_user_model):
    django_user_model.objects.create_user("volunteer", is_staff=True)
    assert "had no second step" in run("volunteer")


def test_an_unknown_name_is_a_clear_error():
    with pytest.raises(CommandError, match="No account is called 'nobody'"):
        run("nobody")
