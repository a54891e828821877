import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Fellowship

# Postcode areas (the letters before the first digit) of Great Britain, as Code-Point
# Open names its files, and of Northern Ireland, the Channel Islands and the Isle of Man.
POSTCODE_AREAS = frozenset("""
    AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE
    LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG
    SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV
    YO ZE BT GY JE IM
""".split())


def normalise_areas(text: str) -> str:
    """ "ls, bd" -> "BD LS"; a clear error for anything that is not a postcode area."""
    areas = sorted({area for area in re.split(r"[\s,;]+", text.upper()) if area})
    wrong = [area for area in areas if area not in POSTCODE_AREAS]
    if wrong:
        raise ValidationError(
            _("%(wrong)s: not a UK postcode area. An area is the letters at the start of a "
              "postcode: LS for LS6 1AA, L for L1 8JQ.") % {"wrong": ", ".join(wrong)})
    return " ".join(areas)


class Volunteer(models.Model):
    """A staff account limited to some fellowships, and perhaps some postcode areas."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="volunteer", verbose_name=_("account"))
    fellowships = models.ManyToManyField(Fellowship, related_name="volunteers",
                                         verbose_name=_("fellowships"))
    areas = models.CharField(
        _("postcode areas"), max_length=200, blank=True, validators=[normalise_areas],
        help_text=_("Leave empty for the whole country, or give areas such as “LS BD” for "
                    "a Leeds and Bradford intergroup: only meetings at venues there."))

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.user.get_username()

    def clean(self):
        self.areas = normalise_areas(self.areas)
