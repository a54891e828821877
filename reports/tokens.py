"""The report form's signed token, in place of Django's CSRF cookie.

Meeting pages and the report form set no cookie (the privacy page promises that), so
the form cannot carry Django's CSRF token, whose check compares it with a cookie. It does
not need one: CSRF protects what a signed-in visitor's cookies allow, and an anonymous
report carries no authority a forger could borrow; anyone may send one. The view is
therefore csrf_exempt, and instead the form carries this token: the meeting's id, signed
with the site's secret key and timestamped. It proves the post comes from a form we served
for that meeting in the last few hours, so a script cannot post blind to every meeting,
and a tampered or stale form is asked to send again rather than saved.
"""

from django.core import signing

SALT = "reports.form"
MAX_AGE_SECONDS = 3 * 60 * 60  # time to read the page, think, and type


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def make_token(meeting_pk: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(meeting_pk))


def check_token(token: str, meeting_pk: int) -> None:
    """Raise TokenExpired or TokenInvalid unless `token` is ours, recent, for this meeting."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except signing.BadSignature:
        raise TokenInvalid from None
    if value != str(meeting_pk):
        raise TokenInvalid
