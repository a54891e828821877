"""The Jinja2 result rows' strings are in the Welsh catalogue. makemessages reads
templates/jinja2/ as Django templates, which finds `_("...")` but not Jinja2-only forms
(keyword arguments, ngettext, {% trans %} blocks): Jinja2's own extractor finds them all."""

import ast
import re
from pathlib import Path

from django.conf import settings

from recovery_finder.jinja2_environment import environment

PO = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# A msgid line and its continuation lines (makemessages wraps long ones).
MSGID = re.compile(r'^msgid((?:\s*"(?:[^"\\]|\\.)*")+)', re.MULTILINE)
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def catalogue_msgids() -> set[str]:
    text = PO.read_text(encoding="utf-8")
    return {"".join(ast.literal_eval(part) for part in QUOTED.findall(block))
            for block in MSGID.findall(text)}


def jinja2_messages() -> list[str]:
    env = environment()
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "templates" / "jinja2").rglob("*.html")):
        for _line, _function, message in env.extract_translations(path.read_text()):
            # ngettext and calls with keyword arguments give a tuple; None marks a
            # non-string argument.
            parts = [message] if isinstance(message, str) else message
            found += [part for part in parts if isinstance(part, str)]
    return found


def test_the_catalogue_reader_sees_wrapped_msgids():
    assert "Online" in catalogue_msgids()
    assert any(len(msgid) > 200 for msgid in catalogue_msgids())


def test_every_jinja2_string_is_in_the_welsh_catalogue():
    found = jinja2_messages()
    assert "Temporarily suspended" in found
    missing = sorted(set(found) - catalogue_msgids())
    assert not missing, f"add them with `makemessages` (docs/welsh.md): {missing}"
