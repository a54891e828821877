from urllib.parse import urlsplit

from django.db import models
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from recovery_finder.languages import Wording, in_page_language
from staff.scopes import FellowshipScope, GroupScope


class Philosophy(models.TextChoices):
    # The stored values are the public URL values (?philosophy=secular).
    TWELVE_STEP = "twelve-step", _("Twelve-step")
    SECULAR = "secular", _("Secular / science-based")
    FAITH_BASED = "faith-based", _("Faith-based")
    BUDDHIST_INSPIRED = "buddhist-inspired", _("Buddhist-inspired")
    OTHER = "other", _("Other approach")


# The one place each approach is explained; every page reuses these words.
PHILOSOPHY_EXPLANATIONS = {
    Philosophy.TWELVE_STEP: _(
        "Members work through twelve steps of honesty, reflection and making amends, with the "
        "support of the group and a sponsor. The steps mention a 'higher power', which members "
        "understand in their own way: many are not religious."
    ),
    Philosophy.SECULAR: _(
        "No spiritual content. Meetings focus on practical ways to manage urges, change "
        "habits and solve problems, in open discussion with others in recovery."
    ),
    Philosophy.FAITH_BASED: _(
        "Recovery rooted in a religious faith, usually Christian: prayer and scripture sit "
        "alongside group support. People of any faith or none are usually welcome."
    ),
    Philosophy.BUDDHIST_INSPIRED: _(
        "Draws on Buddhist practice such as meditation, mindfulness and kindness. You do not "
        "need to be a Buddhist."
    ),
    Philosophy.OTHER: _("An approach of its own: see the fellowship's description."),
}


class Addresses(models.TextChoices):
    ALCOHOL = "alcohol", _("Alcohol")
    DRUGS = "drugs", _("Drugs")
    COCAINE = "cocaine", _("Cocaine and other stimulants")
    CRYSTAL_METH = "crystal-meth", _("Crystal meth")
    CANNABIS = "cannabis", _("Cannabis")
    GAMBLING = "gambling", _("Gambling")
    ANY_ADDICTION = "any-addiction", _("Any addiction")
    SOMEONE_ELSES_DRINKING = "someone-elses-drinking", _("Someone else's drinking")
    SOMEONE_ELSES_DRUG_USE = "someone-elses-drug-use", _("Someone else's drug use")
    SOMEONE_ELSES_GAMBLING = "someone-elses-gambling", _("Someone else's gambling")
    FOOD = "food", _("Food and eating")
    DEBT = "debt", _("Debt and spending")
    SEX = "sex", _("Sex and sexual behaviour")


# Whose addiction a family fellowship is for, named from its own "what it addresses"
# codes: its "someone else's" codes first, else (a fellowship that also serves the person
# themselves, like Celebrate Recovery) what it helps its members with.
CONCERNS = {
    Addresses.SOMEONE_ELSES_DRINKING: _("drinking"),
    Addresses.SOMEONE_ELSES_DRUG_USE: _("drug use"),
    Addresses.SOMEONE_ELSES_GAMBLING: _("gambling"),
}
OWN_CONCERNS = {
    Addresses.ALCOHOL: _("drinking"),
    Addresses.DRUGS: _("drug use"),
    Addresses.COCAINE: _("drug use"),
    Addresses.CRYSTAL_METH: _("drug use"),
    Addresses.CANNABIS: _("drug use"),
    Addresses.GAMBLING: _("gambling"),
    Addresses.FOOD: _("eating"),
    Addresses.DEBT: _("debt"),
    Addresses.SEX: _("sexual behaviour"),
}


class FellowshipQuerySet(FellowshipScope, models.QuerySet):
    def for_audience(self, audience: str) -> "FellowshipQuerySet":
        field = AUDIENCE_FIELDS[audience]
        return self.filter(**{field: True})


# Public ?for= values and the flag each one reads.
AUDIENCE_FIELDS = {
    "myself": "for_myself",
    "family-and-friends": "for_family_and_friends",
    "young-people": "for_young_people",
}


class Fellowship(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    short_name = models.CharField(_("short name"), max_length=20)
    philosophy = models.CharField(_("philosophy"), max_length=20, choices=Philosophy)
    for_myself = models.BooleanField(
        _("for people with the problem themselves"), default=True
    )
    for_family_and_friends = models.BooleanField(_("for family and friends"), default=False)
    for_young_people = models.BooleanField(_("specifically for young people"), default=False)
    addresses = models.JSONField(
        _("what it addresses"), default=list, blank=True,
        help_text=_("Codes from: %(codes)s") % {"codes": ", ".join(Addresses.values)},
    )
    description = models.TextField(_("plain-English description"), blank=True)
    description_cy = models.TextField(
        _("description in Welsh"), blank=True,
        help_text=_("Shown on the Welsh pages (/cy/). Left empty, they show the English one."),
    )
    website = models.URLField(_("website"), blank=True)
    helpline = models.CharField(_("national helpline"), max_length=40, blank=True)
    helpline_hours = models.CharField(_("helpline hours"), max_length=80, blank=True)
    email = models.EmailField(_("email"), blank=True)
    helpline_source = models.URLField(
        _("helpline checked at"), max_length=500, blank=True,
        help_text=_("The page the helpline number and hours were read from."),
    )
    helpline_checked = models.DateField(
        _("helpline checked on"), null=True, blank=True,
        help_text=_("When someone last read the number and hours on that page."),
    )

    objects = FellowshipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("fellowship")
        verbose_name_plural = _("fellowships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(philosophy__in=Philosophy.values),
                name="fellowship_philosophy_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("fellowship-detail", args=[self.slug])

    @property
    def shown_description(self) -> Wording:
        """The description in the page's language, or else the English one, with its
        `lang` for the element that holds it (a page's lang must match its words)."""
        return in_page_language(self.description, self.description_cy)

    @property
    def philosophy_explanation(self) -> str:
        return PHILOSOPHY_EXPLANATIONS[self.philosophy]

    def get_addresses_display(self) -> list[str]:
        labels = dict(Addresses.choices)
        return [labels.get(code, code) for code in self.addresses]

    @property
    def helpline_confirmed(self) -> bool:
        """The helpline was read on the fellowship's own website, not in a directory."""
        if not (self.helpline and self.helpline_source and self.website):
            return False
        own = _host(self.website)
        source = _host(self.helpline_source)
        return bool(own) and (source == own or source.endswith("." + own))

    @property
    def family_audience(self) -> str:
        """Whose addiction a family fellowship is for ("For families and friends affected
        by someone’s gambling"), from its own data; blank for any other fellowship."""
        if not self.for_family_and_friends:
            return ""
        codes = self.addresses or []
        concerns = [CONCERNS[code] for code in codes if code in CONCERNS]
        if not concerns:
            if Addresses.ANY_ADDICTION in codes:
                return gettext("For families and friends affected by someone’s addiction")
            concerns = [OWN_CONCERNS[code] for code in codes if code in OWN_CONCERNS]
        if not concerns:
            return gettext("For families and friends")
        return gettext("For families and friends affected by someone’s %(concerns)s") % {
            "concerns": get_text_list(list(dict.fromkeys(str(c) for c in concerns)), gettext("or"))
        }

    def audiences(self) -> list[str]:
        labels = {
            "myself": _("People who want help for themselves"),
            "family-and-friends": _("Family and friends"),
            "young-people": _("Young people"),
        }
        return [labels[key] for key, field in AUDIENCE_FIELDS.items() if getattr(self, field)]

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        unknown = [code for code in self.addresses or [] if code not in Addresses.values]
        if unknown:
            errors["addresses"] = _("Unknown codes: %s") % ", ".join(unknown)
        if self.helpline_source and not self.helpline_checked:
            errors["helpline_checked"] = _("Say when the helpline was checked on that page.")
        if self.helpline_checked and not self.helpline_source:
            errors["helpline_source"] = _("Give the page the helpline was checked on.")
        if errors:
            raise ValidationError(errors)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


class Group(models.Model):
    """A local group of a fellowship; newcomers can contact it before a first meeting."""

    fellowship = models.ForeignKey(
        Fellowship, on_delete=models.PROTECT, related_name="groups", verbose_name=_("fellowship")
    )
    name = models.CharField(_("name"), max_length=160)
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("source id"), max_length=200, blank=True)

    objects = GroupScope.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(
                fields=["fellowship", "name"], name="group_unique_name_per_fellowship"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.fellowship.short_name})"

    def has_contact(self) -> bool:
        return bool(self.email or self.phone or self.website)
