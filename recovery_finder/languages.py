"""The visitor's site in two languages: English at the addresses partners already use,
Welsh at the same addresses under /cy/ (recovery_finder/urls.py). A page's language is
its URL's and nothing else: no cookie, no session, no Accept-Language."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.translation import get_language

WELSH = "cy"
# Django's codes are lower case; HTML's lang and hreflang are written as BCP 47 has them.
TAGS = {"en-gb": "en-GB", WELSH: "cy"}
# Each language named in itself, as a link to it reads.
NAMES = {"en-gb": "English", WELSH: "Cymraeg"}


def tag(code: str | None) -> str:
    """'en-gb' -> 'en-GB', for lang and hreflang attributes."""
    code = code or settings.LANGUAGE_CODE
    return TAGS.get(code, code)


def path_in(language: str, path: str) -> str:
    """The same page's path in `language`. Welsh paths are the English ones with /cy in
    front (no URL is translated), so this holds for a page that does not exist too."""
    prefix = f"/{WELSH}"
    if path == prefix or path.startswith(prefix + "/"):
        path = path[len(prefix):] or "/"
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


class Wording(str):
    """Words kept in the database in English and, where staff have given it, Welsh:
    `lang` is the tag to put on the element that shows them when they are not in the
    page's language (no Welsh yet), else "". A str, so it joins and compares as one."""

    lang: str

    def __new__(cls, text: str, lang: str = ""):
        wording = super().__new__(cls, text)
        wording.lang = lang
        return wording


def in_page_language(english: str, welsh: str) -> Wording:
    """The Welsh on a Welsh page if there is any, else the English, marked as English
    on any page that is not."""
    language = get_language()
    if language == WELSH and welsh:
        return Wording(welsh)
    return Wording(english, "" if language == settings.LANGUAGE_CODE
                   else tag(settings.LANGUAGE_CODE))


@dataclass(frozen=True)
class Version:
    code: str
    tag: str
    name: str
    path: str  # with the query string, for a link on the page
    url: str  # absolute, for <link rel="alternate">


def page_versions(request: HttpRequest) -> list[Version]:
    """This page in each language, keeping its query (a search stays the search). From
    request.GET, not the raw query string: a page kept whole for visitors is given only
    the parameters its cache key names (meetings/page_cache.py)."""
    query = request.GET.urlencode()
    prefix = get_script_prefix().rstrip("/")
    versions = []
    for code, _name in settings.LANGUAGES:
        path = prefix + path_in(code, request.path_info) + (f"?{query}" if query else "")
        versions.append(Version(code, tag(code), NAMES[code], path,
                                request.build_absolute_uri(path)))
    return versions


def context(request: HttpRequest) -> dict:
    """`html_lang` for <html lang>, `page_versions` for hreflang links and
    `other_version`, the link to this page in the other language."""
    current = get_language()
    versions = page_versions(request)
    return {
        "html_lang": tag(current),
        "page_versions": versions,
        "default_version": next(v for v in versions if v.code == settings.LANGUAGE_CODE),
        "other_version": next((v for v in versions if v.code != current), None),
    }
