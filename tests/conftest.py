import pytest


@pytest.fixture
def fellowships(db):
    """The real UK fellowships, as shipped in fixtures/fellowships.json."""
    from django.core.management import call_command

    from groups.models import Fellowship

    call_command("loaddata", "fellowships", verbosity=0)
    return {f.slug: f for f in Fellowship.objects.all()}
