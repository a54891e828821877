import pytest


@pytest.fixture(scope="session", autouse=True)
def collected_static(django_db_blocker):
    """Tests run with DEBUG off, so pages link hashed static names, as in production."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def fellowships(db):
    """The real UK fellowships, as shipped in fixtures/fellowships.json."""
    from django.core.management import call_command

    from groups.models import Fellowship

    call_command("loaddata", "fellowships", verbosity=0)
    return {f.slug: f for f in Fellowship.objects.all()}
