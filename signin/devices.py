"""A staff member's second step: an authenticator app (TOTP) and printed backup codes,
both django-otp devices. Plain functions, so views, the middleware and the management
command share one meaning of "has a second step" and "is required to"."""

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
TOTP_DIGITS = 6


def has_second_step(user) -> bool:
    """An authenticator app is the second step; backup codes only come with one (set up,
    replaced and removed together), so one query on every admin page answers it."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required(user) -> bool:
    return bool(user.is_superuser and settings.OTP_REQUIRED_FOR_SUPERUSERS)


def normalise(code: str) -> str:
    """People copy codes with spaces or dashes ("123 456", "abcd-efgh") and in capitals."""
    return "".join(ch for ch in code if ch.isalnum()).lower()


def verify(user, code: str) -> Device | None:
    """The device that accepts this code, if any. Six digits are an app's code; anything
    else is tried as a backup code (so a typo does not count against the app's throttle)."""
    code = normalise(code)
    if not code:
        return None
    is_app_code = code.isdigit() and len(code) == TOTP_DIGITS
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice) != is_app_code:
            continue
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def waiting_after_wrong_codes(user) -> bool:
    """django-otp slows down guessing: after each wrong code a device refuses every code for
    twice as long as after the one before (1 s, 2 s, 4 s...). Worth saying from the third."""
    for device in devices_for_user(user):
        allowed, details = device.verify_is_allowed()
        if not allowed and (details or {}).get("failure_count", 0) >= 3:
            return True
    return False


def pending_app(user) -> TOTPDevice:
    """The app being set up: an unconfirmed device, created once and shown until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


@transaction.atomic
def confirm_app(device: TOTPDevice) -> list[str]:
    """The new app replaces any earlier one (a new phone); fresh backup codes come with it."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(device.user)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Codes that work once each; any earlier set stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def remove_all(user) -> int:
    """Every app and backup code of this account, confirmed or not; how many devices."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()
    return removed
