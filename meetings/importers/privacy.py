"""Personal-looking contact details in free text: someone's own email address or mobile
number pasted into a meeting's notes is published to everyone once imported.

Found with phonenumbers (Google's libphonenumber): a number it can tell is a mobile or
a personal number. Landlines, freephone and dial-in numbers are what groups publish on
purpose, and North American numbers cannot be told apart from landlines, so neither is
flagged; nor are the long meeting ids of video calls, which are not phone numbers.
"""

import re

import phonenumbers

# Email local parts that name a role rather than a person.
ROLE_NAMES = {
    "admin", "area", "chair", "contact", "contactus", "district", "enquiries", "enquiry",
    "events", "group", "groups", "help", "hello", "helpline", "info", "information",
    "inquiries", "intergroup", "mail", "meeting", "meetings", "news", "newsletter",
    "noreply", "no-reply", "office", "pi", "publicinformation", "region", "secretary",
    "service", "services", "support", "team", "treasurer", "volunteer", "volunteers",
    "web", "webmaster", "website",
}
# Words in a local part that make it a group's address (sudburyalanon@, district22meetings@).
GROUP_WORDS = ["group", "meeting", "afg", "alanon", "intergroup", "district", "fellowship"]
PERSONAL_NUMBER_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    phonenumbers.PhoneNumberType.PAGER,
}
# Matched around each "@" rather than over the whole text, so the time stays linear
# in the length of the text whatever it holds.
_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}$")
_DIGITS = re.compile(r"\d")
_DOMAIN = re.compile(r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")


def email_addresses(text: str) -> list[str]:
    found = []
    for at in (m.start() for m in re.finditer("@", text)):
        local = _LOCAL.search(text, max(0, at - 64), at)
        domain = _DOMAIN.match(text, at + 1, at + 256)
        if local and domain:
            found.append(f"{local.group()}@{domain.group().rstrip('.')}")
    return found


def personal_contacts(text: str) -> list[str]:
    """Email addresses that are not a role's, and mobile or personal phone numbers."""
    if "@" not in text and len(_DIGITS.findall(text)) < 7:
        return []  # most notes: nothing that could be either, so no matcher to run
    found = [address for address in email_addresses(text) if not _a_role(address)]
    found += [
        match.raw_string for match in phonenumbers.PhoneNumberMatcher(text, "GB")
        if phonenumbers.number_type(match.number) in PERSONAL_NUMBER_TYPES
    ]
    return found


def _a_role(address: str) -> bool:
    local = address.split("@")[0].casefold()
    return local in ROLE_NAMES or any(word in local for word in GROUP_WORDS)
