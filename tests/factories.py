"""Small helpers that build real rows for tests: sensible defaults, override anything."""

import datetime
import itertools

from groups.models import Fellowship, Philosophy
from meetings.models import Feature, Format, Language, Meeting, Venue

_counter = itertools.count(1)


def make_fellowship(**fields) -> Fellowship:
    n = next(_counter)
    defaults = {
        "name": f"Test Fellowship {n}",
        "slug": f"test-fellowship-{n}",
        "short_name": f"TF{n}",
        "philosophy": Philosophy.TWELVE_STEP,
    }
    return Fellowship.objects.create(**(defaults | fields))


def make_venue(**fields) -> Venue:
    n = next(_counter)
    defaults = {
        "name": f"Community Hall {n}",
        "address_line1": f"{n} High Street",
        "town": "Leeds",
        "postcode": "LS6 1AA",
        "latitude": 53.8175,
        "longitude": -1.5768,
    }
    return Venue.objects.create(**(defaults | fields))


def make_meeting(*, features: list[str] = (), languages: list[str] = (), **fields) -> Meeting:
    n = next(_counter)
    defaults = {
        "name": f"Test Meeting {n}",
        "weekday": 0,
        "start_time": datetime.time(19, 30),
        "end_time": datetime.time(20, 30),
        "format": Format.IN_PERSON,
    }
    values = defaults | fields
    if "fellowship" not in values:
        values["fellowship"] = make_fellowship()
    if values["format"] != Format.ONLINE and "venue" not in values:
        values["venue"] = make_venue()
    if values["format"] != Format.IN_PERSON and not (
        values.get("online_url") or values.get("online_phone")
    ):
        values["online_url"] = "https://example.org/join/123"
    meeting = Meeting.objects.create(**values)
    if features:
        meeting.features.set(Feature.objects.filter(slug__in=features))
    if languages:
        meeting.languages.set(Language.objects.filter(code__in=languages))
    return meeting


def app_code(device) -> str:
    """The code an authenticator app set up with this django-otp device shows now (or at
    the next step, if now's was already used: a code works once)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user) -> None:
    """Sign a staff member in as the admin would: their password (forced, as django-axes
    needs a request for a real one), then, when the account has or needs a second step, a
    real code from an authenticator app typed into the code page."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from signin import devices

    client.force_login(user)
    if not (devices.is_required(user) or devices.has_second_step(user)):
        return
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    app = app or TOTPDevice.objects.create(user=user, name=devices.APP_NAME)
    response = client.post(reverse("signin:code"), {"code": app_code(app)})
    assert response.status_code == 302, "the second step refused the app's code"
