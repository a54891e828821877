"""The Welsh catalogue (locale/cy): complete, with Welsh plural forms, compiled, and holding the
strings of the Jinja2 templates that makemessages reads only as Django templates (docs/welsh.md)."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

from recovery_finder.jinja2_environment import environment

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES"
# One number for each of the six Welsh plural forms, in the header's order.
PLURAL_SAMPLES = (0, 1, 2, 3, 6, 11)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%\.\d+f|%\(\w+\)\.\d+f|%[sd]")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(LC_MESSAGES / "django.po"))


def test_every_message_is_translated_and_none_is_fuzzy(po):
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy


def test_the_header_gives_welsh_and_its_six_plural_forms(po):
    assert po.metadata["Language"] == "cy"
    assert po.metadata["Plural-Forms"] == (
        "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
    )
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1, 2, 3, 4, 5], entry.msgid


def test_translations_keep_the_placeholders_of_the_english(po):
    for entry in po:
        english = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        if entry.msgid_plural:
            for form in entry.msgstr_plural.values():
                assert set(PLACEHOLDER.findall(form)) <= english, entry.msgid
        else:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == sorted(
                PLACEHOLDER.findall(entry.msgid)
            ), entry.msgid


def test_the_committed_mo_file_is_compiled_from_the_po_file(po):
    """django.mo is committed (no gettext needed to run the site): it must not lag behind."""
    with open(LC_MESSAGES / "django.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = "django.mo is older than django.po: run `make messages`"
    for entry in po:
        if entry.msgid_plural:
            for form, n in enumerate(PLURAL_SAMPLES):
                if entry.msgctxt:
                    got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                assert got == entry.msgstr_plural[form], stale
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, stale
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, stale


@pytest.mark.parametrize(("n", "miles", "meetings"), [
    (0, "0 milltir", "0 cyfarfod"),
    (1, "1 filltir", "1 cyfarfod"),
    (2, "2 filltir", "2 gyfarfod"),
    (3, "3 milltir", "3 chyfarfod"),
    (6, "6 milltir", "6 chyfarfod"),
    (11, "11 milltir", "11 cyfarfod"),
])
def test_django_gives_the_welsh_plural_form_for_each_number(n, miles, meetings):
    with translation.override("cy"):
        assert ngettext("%(miles)s mile", "%(miles)s miles", n) % {"miles": n} == miles
        assert ngettext("%(count)s meeting", "%(count)s meetings", n) % {"count": n} == meetings
    assert ngettext("%(miles)s mile", "%(miles)s miles", n) % {"miles": n} in (
        f"{n} mile", f"{n} miles"
    )


def test_every_string_in_the_jinja2_templates_is_in_the_catalogue(po):
    env = environment()
    msgids = {entry.msgid for entry in po}
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "templates" / "jinja2").rglob("*.html")):
        for _line, _function, message in env.extract_translations(path.read_text()):
            # ngettext gives a tuple (singular, plural); any non-string part is not a msgid.
            found += [part for part in ([message] if isinstance(message, str) else message)
                      if isinstance(part, str)]
    assert found, "no translatable strings found in templates/jinja2: is the extractor right?"
    assert [message for message in found if message not in msgids] == []
