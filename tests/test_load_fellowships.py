"""`load_fellowships`: the real UK fellowships, without trampling staff edits."""

import pytest
from django.core.management import call_command

from groups.models import Fellowship, Philosophy

pytestmark = pytest.mark.django_db


def test_it_loads_the_real_uk_fellowships():
    call_command("load_fellowships", verbosity=0)
    slugs = set(Fellowship.objects.values_list("slug", flat=True))
    assert {"aa", "na", "smart-recovery", "al-anon", "alateen", "cocaine-anonymous",
            "lifering", "celebrate-recovery", "women-for-sobriety", "gamblers-anonymous",
            "marijuana-anonymous", "crystal-meth-anonymous", "families-anonymous",
            "recovery-dharma"} <= slugs
    assert Fellowship.objects.get(slug="smart-recovery").philosophy == Philosophy.SECULAR
    assert Fellowship.objects.get(slug="aa").helpline == "0800 9177 650"


def test_if_empty_keeps_what_staff_changed():
    call_command("load_fellowships", verbosity=0)
    Fellowship.objects.filter(slug="aa").update(helpline_hours="Staff-checked hours")
    call_command("load_fellowships", if_empty=True, verbosity=0)
    assert Fellowship.objects.get(slug="aa").helpline_hours == "Staff-checked hours"
