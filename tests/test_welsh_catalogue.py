"""The Welsh catalogue (locale/cy/LC_MESSAGES/django.po): complete, checked by msgfmt,
with Welsh's six plural forms, and every counted phrase in the code counted by ngettext."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from meetings.wording import miles_text
from tests.factories import make_meeting, make_venue

PO = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
PLURAL_FORMS = ("nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : "
                "(n==6) ? 4 : 5;")
# A count for each of the six forms, in order.
COUNTS = [0, 1, 2, 3, 6, 11]


def entries(path: Path) -> dict[tuple[str, str], dict]:
    """{(msgctxt, msgid): {"msgid_plural": ..., "msgstr": [...], "fuzzy": bool}}: just
    enough of the PO format to read our own catalogue."""
    found, entry, key, fuzzy = {}, {}, None, False

    def finish():
        if "msgid" in entry:
            found[(entry.get("msgctxt", ""), entry["msgid"])] = {
                "msgid_plural": entry.get("msgid_plural"),
                "msgstr": [entry[k] for k in sorted(k for k in entry if k.startswith("msgstr"))],
                "fuzzy": fuzzy,
            }

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            finish()
            entry, key, fuzzy = {}, None, False
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return found


def test_msgfmt_finds_nothing_untranslated_or_fuzzy():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True, text=True, env={"LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr


def test_the_catalogue_has_every_message_the_code_has(tmp_path):
    """makemessages, run on a copy of the code, finds no message the catalogue lacks."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "site"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(
        ".venv", "var", ".git", "tests", "bench", "docs", "node_modules", "*.mo", "*.pyc"))
    subprocess.run(
        [str(base / ".venv" / "bin" / "python") if (base / ".venv").exists() else "python",
         "manage.py", "makemessages", "--locale", "cy", "--no-obsolete", "--ignore", "tests/*"],
        cwd=copy, check=True, capture_output=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x"},
    )
    wanted = set(entries(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    missing = sorted(msgid for context, msgid in wanted - set(entries(PO)) if msgid)
    assert not missing, f"{len(missing)} messages not in the Welsh catalogue: {missing[:10]}"


def test_the_plural_forms_are_welshs_six():
    header = entries(PO)[("", "")]["msgstr"][0]
    assert f"Plural-Forms: {PLURAL_FORMS}\n" in header


@pytest.mark.parametrize(("singular", "plural"), [
    ("%(miles)s mile", "%(miles)s miles"),
    ("%(count)s meeting", "%(count)s meetings"),
])
def test_each_count_picks_its_own_form(singular, plural):
    forms = entries(PO)[("", singular)]["msgstr"]
    assert len(forms) == 6
    with translation.override("cy"):
        picked = [translation.ngettext(singular, plural, n) for n in COUNTS]
    assert picked == forms


def test_distances_take_welsh_mutations():
    with translation.override("cy"):
        assert [miles_text(n) for n in COUNTS] == [
            "0 milltir", "1 filltir", "2 filltir", "3 milltir", "6 milltir", "11 milltir"]
        assert miles_text(2.5) == "2.5 milltir"
    assert [miles_text(n) for n in (1, 2, 2.5)] == ["1 mile", "2 miles", "2.5 miles"]


@pytest.mark.parametrize("within", COUNTS[1:])
def test_the_search_heading_counts_in_welsh(client, place, within):
    leeds = place("LS6 1AA")
    for n in range(within):
        make_meeting(name=f"Meeting {n}", venue=make_venue(
            latitude=leeds.latitude + 0.1 / 69.23, longitude=leeds.longitude))
    page = client.get(f"/cy/meetings/?near=LS6+1AA&within={within}").content.decode()
    with translation.override("cy"):
        distance = miles_text(within)
        heading = translation.ngettext(
            "%(count)s meeting within %(distance)s of %(place)s",
            "%(count)s meetings within %(distance)s of %(place)s", within,
        ) % {"count": within, "distance": distance, "place": "LS6 1AA"}
    assert heading in page
    english = client.get(f"/meetings/?near=LS6+1AA&within={within}").content.decode()
    assert heading not in english


def test_compilemessages_builds_the_catalogue_the_site_reads(tmp_path):
    # The Makefile's setup and the test session compile it; a stale .mo is never served.
    call_command("compilemessages", locale=["cy"], ignore_patterns=[".venv", "var"],
                 verbosity=0)
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime
