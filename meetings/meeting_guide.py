"""The Meeting Guide format's codes and conventions, both ways, in one place.

The Meeting Guide JSON format (code4recovery) is what the Meeting Guide app and the
12 Step Meeting List (TSML) plugin read and write. Its day numbering starts on Sunday
(0 = Sunday .. 6 = Saturday); ours is Python's (0 = Monday .. 6 = Sunday).
"""

import html
import re

# Our meeting feature slug -> Meeting Guide type code.
FEATURE_CODES = {
    "newcomers": "BE",
    "women": "W",
    "men": "M",
    "lgbtq": "LGBTQ",
    "young-people": "Y",
    "bsl": "BSL",  # extra: the format has American Sign Language only
    "speaker": "SP",
    "discussion": "D",
    "step-study": "ST",
    "tradition-study": "TR",
    "literature": "LIT",
    "meditation": "MED",
    "atheist-agnostic": "A",
    "birthday": "H",
    "child-friendly": "CF",
}
# Venue flag -> code (these travel per meeting in the format).
VENUE_CODES = {
    "step_free": "X",
    "accessible_toilet": "XB",
    "hearing_loop": "HL",  # extra: the format has no hearing-loop code
    "parking": "PARK",  # extra: the format has no parking code
}
ACCESS_CODES = {"open": "O", "closed": "C"}
ONLINE = "ONL"  # TSML: the meeting can be joined online
TEMPORARILY_CLOSED = "TC"  # TSML: the location is temporarily closed

# Codes we send that are not in the Meeting Guide list: documented in docs/partners.md.
EXTRA_CODES = {
    "BSL": "British Sign Language interpreted",
    "HL": "Hearing loop",
    "PARK": "Parking",
}

# Our language (ISO 639-1) -> Meeting Guide code, where the format has one. Others are
# sent as their ISO code in capitals (CY for Welsh), none of which clash with a type code.
LANGUAGE_CODES = {
    "en": "EN", "pl": "POL", "es": "S", "uk": "UK", "fr": "FR", "de": "DE", "it": "ITA",
    "ru": "RUS", "pt": "POR", "pa": "PUN", "tr": "TUR", "ar": "AR", "fa": "FA", "hi": "HI",
    "el": "EL", "bg": "BG", "hu": "HU", "sk": "SK", "nl": "NL", "lt": "LT",
}

# Codes read in that mean the same as one of ours although we never send them.
IMPORT_SYNONYMS = {
    "11": ("feature", "meditation"),
    "LGBTQIA": ("feature", "lgbtq"),
    "LGBTQIAA+": ("feature", "lgbtq"),
    "G": ("feature", "lgbtq"),
    "L": ("feature", "lgbtq"),
    "BI": ("feature", "lgbtq"),
    "T": ("feature", "lgbtq"),
}

# English names as the 12 Step Meeting List's CSV writes them in its "Types" column.
TYPE_NAMES = {
    "11th step meditation": "11", "secular": "A", "newcomer": "BE", "closed": "C",
    "child-friendly": "CF", "discussion": "D", "english": "EN", "birthday": "H",
    "lgbtq": "LGBTQ", "literature": "LIT", "men": "M", "meditation": "MED", "open": "O",
    "online": ONLINE, "polish": "POL", "spanish": "S", "speaker": "SP", "step study": "ST",
    "location temporarily closed": TEMPORARILY_CLOSED, "tradition study": "TR",
    "ukrainian": "UK", "women": "W", "wheelchair access": "X",
    "wheelchair-accessible bathroom": "XB", "young people": "Y", "french": "FR",
    "german": "DE", "italian": "ITA", "russian": "RUS", "portuguese": "POR",
    "punjabi": "PUN", "turkish": "TUR", "arabic": "AR", "persian": "FA", "hindi": "HI",
    "greek": "EL", "bulgarian": "BG", "hungarian": "HU", "slovak": "SK", "dutch": "NL",
    "lithuanian": "LT", "gay": "G", "lesbian": "L", "bisexual": "BI", "transgender": "T",
    "british sign language interpreted": "BSL", "hearing loop": "HL", "parking": "PARK",
    # The plugin's own labels, where they differ from the list above.
    "online meeting": ONLINE, "temporary closure": TEMPORARILY_CLOSED, "step meeting": "ST",
    "beginner": "BE", "wheelchair accessible": "X",
}

_CODE_TO_FEATURE = {code: slug for slug, code in FEATURE_CODES.items()}
_CODE_TO_VENUE = {code: flag for flag, code in VENUE_CODES.items()}
_CODE_TO_ACCESS = {code: access for access, code in ACCESS_CODES.items()}
_CODE_TO_LANGUAGE = {code: iso for iso, code in LANGUAGE_CODES.items()}


def day_from_meeting_guide(day: int) -> int:
    """Meeting Guide 0 = Sunday -> our 0 = Monday."""
    return (day + 6) % 7


def day_to_meeting_guide(weekday: int) -> int:
    return (weekday + 1) % 7


def type_codes(
    features: list[str], venue_flags: list[str], access: str, languages: list[str]
) -> list[str]:
    codes = [ACCESS_CODES[access]] if access in ACCESS_CODES else []
    codes += [FEATURE_CODES[slug] for slug in features if slug in FEATURE_CODES]
    codes += [VENUE_CODES[flag] for flag in venue_flags if flag in VENUE_CODES]
    codes += [LANGUAGE_CODES.get(code, code.upper()) for code in languages]
    return codes


class ReadTypes:
    """What a list of type codes says, in our terms."""

    def __init__(self, codes: list[str], known_languages: set[str]):
        self.features: set[str] = set()
        self.venue_flags: set[str] = set()
        self.languages: set[str] = set()
        self.access = ""
        self.online = False
        self.temporarily_closed = False
        self.unknown: list[str] = []
        for raw in codes:
            code = str(raw).strip()
            if not code:
                continue
            self._read(code, known_languages)

    def _read(self, code: str, known_languages: set[str]) -> None:
        if code == ONLINE:
            self.online = True
        elif code == TEMPORARILY_CLOSED:
            self.temporarily_closed = True
        elif code in _CODE_TO_ACCESS:
            # A meeting marked both open and closed says nothing we can rely on.
            self.access = "" if self.access else _CODE_TO_ACCESS[code]
        elif code in _CODE_TO_FEATURE:
            self.features.add(_CODE_TO_FEATURE[code])
        elif code in _CODE_TO_VENUE:
            self.venue_flags.add(_CODE_TO_VENUE[code])
        elif code in IMPORT_SYNONYMS:
            self.features.add(IMPORT_SYNONYMS[code][1])
        elif code in _CODE_TO_LANGUAGE:
            self.languages.add(_CODE_TO_LANGUAGE[code])
        elif len(code) == 2 and code.lower() in known_languages:
            self.languages.add(code.lower())
        else:
            self.unknown.append(code)


def code_for_name(name: str) -> str:
    """A TSML CSV type ("Wheelchair Access") to its code; codes themselves pass through."""
    return TYPE_NAMES.get(name.strip().lower(), name.strip())


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)


def plain_text(value) -> str:
    """Feeds are meant to carry no HTML; some do. Tags out, entities decoded, trimmed."""
    if value is None:
        return ""
    text = _BREAK.sub("\n", str(value))
    text = html.unescape(_TAG.sub("", text))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
