"""The search's public query string, as a FilterSet.

Parameter names and values are a contract with partner sites (docs/partners.md), so
each filter names its public parameter and calls a QuerySet method; none maps straight
onto a model field. The FilterSet is lenient, as django-filter's is by default: valid
parameters apply, invalid ones become messages in `form.errors`.

`near`, `within`, `sort` and `page` are validated here but applied by `meetings.search`,
which needs the resolved place for distances and the empty state.
"""

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from groups.models import AUDIENCE_FIELDS, Philosophy

from . import catalogue, geo
from .models import Format, Weekday
from .schedule import LONDON

MIN_MILES = 0.1
MAX_MILES = 200
MILES = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
DEFAULT_MILES = 10

DAYS = {weekday.name.lower(): weekday.value for weekday in Weekday}  # "monday": 0
DAY_CHOICES = [(name, Weekday(value).label) for name, value in DAYS.items()] + [
    ("today", _("Today")),
    ("tomorrow", _("Tomorrow")),
]
# [start, end) in local time; the end is exclusive.
TIMES = {
    "morning": (datetime.time(0, 0), datetime.time(12, 0)),
    "afternoon": (datetime.time(12, 0), datetime.time(17, 0)),
    "evening": (datetime.time(17, 0), None),
}
TIME_CHOICES = [
    ("morning", _("Morning (before 12pm)")),
    ("afternoon", _("Afternoon (12pm to 5pm)")),
    ("evening", _("Evening (5pm on)")),
]
AUDIENCE_CHOICES = [
    ("myself", _("Me: I want help for myself")),
    ("family-and-friends", _("Family and friends of someone")),
    ("young-people", _("Young people")),
]
assert [key for key, _label in AUDIENCE_CHOICES] == list(AUDIENCE_FIELDS)
WHEN_CHOICES = [("now", _("Now or in the next hour"))]
SORT_CHOICES = [
    ("distance", _("Nearest first")),
    ("soonest", _("Soonest first")),
    ("name", _("Name")),
]
FORMAT_CHOICES = [
    (Format.IN_PERSON, _("In person")),
    (Format.ONLINE, _("Online")),
    (Format.HYBRID, _("Hybrid only (both at once)")),
]


def invalid_choice(message) -> dict:
    return {"invalid_choice": message}


class MilesField(forms.FloatField):
    default_error_messages = {
        "invalid": _("Distance must be a number of miles, like 2.5 or 10."),
        "min_value": _("Distance must be at least %(limit_value)s miles."),
        "max_value": _("Distance can be at most %(limit_value)s miles."),
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=MIN_MILES, max_value=MAX_MILES, **kwargs)

    def to_python(self, value):
        # float() also reads "1_0", "inf" and "nan": only plain decimals are distances.
        if isinstance(value, str) and value.strip() and not MILES.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class AnyOfField(django_filters.fields.MultipleChoiceField):
    """Leaves out empty values: a form's "any" option (`language=`) and empty fields
    are not choices, so they neither filter nor count as mistakes."""

    def to_python(self, value):
        items = [item.strip() for item in super().to_python(value) if item.strip()]
        # The coded values are lower case: "AA" or "Monday" typed into a link still work.
        return [item if self.valid_value(item) else item.lower() for item in items]


class AnyOfFilter(django_filters.MultipleChoiceFilter):
    """A repeatable parameter: any of its values matches."""

    field_class = AnyOfField


class MilesFilter(django_filters.Filter):
    field_class = MilesField


class MeetingFilterForm(forms.Form):
    """Resolves `near` while validating, so a place we can't find is a form error, and
    gives the choice fields their choices."""

    location = None
    place_suggestions: tuple[str, ...] = ()  # place names spelt like an unknown one
    # {field name: choices}, set on each class MeetingFilter.get_form_class makes.
    field_choices: dict[str, list[tuple[str, str]]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Given to this form's own copies of the fields, as Django does choices read from
        # the database: declared on the fields, every list would be copied with them for
        # each search (django-filter copies its filters, the form its fields).
        for name, choices in self.field_choices.items():
            self.fields[name].choices = choices

    def clean_near(self) -> str:
        text = " ".join((self.cleaned_data.get("near") or "").split())
        if text:
            try:
                self.location = geo.resolve_location(text)
            except geo.LocationError as error:
                self.place_suggestions = getattr(error, "suggestions", ())
                raise ValidationError(error.message, code="location") from None
        return text


# The form class for the current catalogue version (MeetingFilter.get_form_class).
_form_classes: dict[tuple[str, str], type[MeetingFilterForm]] = {}


class MeetingFilter(django_filters.FilterSet):
    # The choice filters' choices are in `choices()`, given to each form's fields.
    near = django_filters.CharFilter(
        label=_("Postcode or town"), method="applied_by_search", max_length=100,
        error_messages={"max_length": _("That is too long for a postcode or town: "
                                        "use at most %(limit_value)d characters.")},
    )
    within = MilesFilter(label=_("Within (miles)"), method="applied_by_search")
    q = django_filters.CharFilter(
        label=_("Meeting, group or venue name"), method="filter_text", max_length=100,
        error_messages={"max_length": _("That is too long for a name: "
                                        "use at most %(limit_value)d characters.")},
    )
    fellowship = AnyOfFilter(
        label=_("Fellowship"), method="filter_fellowship", widget=forms.CheckboxSelectMultiple,
        error_messages=invalid_choice(
            _("We don’t list a fellowship called “%(value)s”.")
        ),
    )
    philosophy = AnyOfFilter(
        label=_("Approach"), method="filter_philosophy", widget=forms.CheckboxSelectMultiple,
        error_messages=invalid_choice(
            _("“%(value)s” is not one of the approaches we list.")
        ),
    )
    # Renamed to the public `for` below: `for` cannot be a Python attribute name.
    audience = AnyOfFilter(
        label=_("Who is it for?"), method="filter_audience", widget=forms.CheckboxSelectMultiple,
        error_messages=invalid_choice(
            _("“%(value)s” is not one of: myself, family-and-friends, young-people.")
        ),
    )
    format = AnyOfFilter(
        label=_("How to attend"), method="filter_format", widget=forms.CheckboxSelectMultiple,
        error_messages=invalid_choice(
            _("“%(value)s” is not a way to attend: use in-person, online or hybrid.")
        ),
    )
    day = AnyOfFilter(
        label=_("Day"), method="filter_day", widget=forms.CheckboxSelectMultiple,
        error_messages=invalid_choice(
            _("“%(value)s” is not a day: use monday to sunday, today or tomorrow.")
        ),
    )
    time = AnyOfFilter(
        label=_("Time of day"), method="filter_time", widget=forms.CheckboxSelectMultiple,
        error_messages=invalid_choice(
            _("“%(value)s” is not a time of day: use morning, afternoon or evening.")
        ),
    )
    when = django_filters.ChoiceFilter(
        label=_("Happening now"), method="filter_when",
        error_messages=invalid_choice(
            _("“%(value)s” is not understood here: use now.")
        ),
    )
    feature = AnyOfFilter(
        label=_("Features"), method="filter_feature", widget=forms.CheckboxSelectMultiple,
        error_messages=invalid_choice(
            _("We don’t list a feature called “%(value)s”.")
        ),
    )
    language = AnyOfFilter(
        label=_("Language"), method="filter_language",
        error_messages=invalid_choice(
            _("“%(value)s” is not a language code we list, like cy or pl.")
        ),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Order"), method="applied_by_search",
        empty_label=None,
        error_messages=invalid_choice(
            _("“%(value)s” is not an order: use distance, soonest or name.")
        ),
    )

    class Meta:
        form = MeetingFilterForm
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, now: datetime.datetime | None = None, **kw):
        super().__init__(data, queryset, **kw)
        self.now = now or timezone.now()
        # The lists the choices come from. The search also gives its results these
        # fellowships, features and languages.
        self.catalogue = catalogue.current()

    def choices(self) -> dict[str, list[tuple[str, str]]]:
        """Each choice filter's choices, by public parameter name."""
        return {
            "fellowship": self.catalogue.fellowship_choices,
            "philosophy": Philosophy.choices,
            "for": AUDIENCE_CHOICES,
            "format": FORMAT_CHOICES,
            "day": DAY_CHOICES,
            "time": TIME_CHOICES,
            "when": WHEN_CHOICES,
            "feature": self.catalogue.feature_choices,
            "language": self.catalogue.language_choices,
            "sort": SORT_CHOICES,
        }

    def get_form_class(self) -> type[MeetingFilterForm]:
        """django-filter builds a new form class, with a new field for each filter, for
        every search; it changes only with the catalogue's lists (the choices), so one is
        kept per catalogue version and language (the lists' words are in one language)."""
        version = self.catalogue.version
        key = (version, get_language())
        kept = _form_classes.get(key)
        if kept is None:
            kept = super().get_form_class()
            kept.field_choices = self.choices()
            if version is not None:  # no version (the cache is down): keep nothing
                # Only the current version's are asked for again.
                for old in [k for k in _form_classes if k[0] != version]:
                    del _form_classes[old]
                _form_classes[key] = kept
        return kept

    @property
    def location(self):
        return getattr(self.form, "location", None)

    def applied_by_search(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_fellowship(self, queryset, name, value):
        return queryset.of_fellowships(value)

    def filter_philosophy(self, queryset, name, value):
        return queryset.of_philosophies(value)

    def filter_audience(self, queryset, name, value):
        return queryset.for_audiences(value)

    def filter_format(self, queryset, name, value):
        return queryset.in_formats(value)

    def filter_day(self, queryset, name, value):
        today = self.now.astimezone(LONDON).date()
        dates = {"today": today, "tomorrow": today + datetime.timedelta(days=1)}
        return queryset.on_days(
            weekdays=[DAYS[v] for v in value if v in DAYS],
            dates=[dates[v] for v in value if v in dates],
        )

    def filter_time(self, queryset, name, value):
        return queryset.starting_in([TIMES[slot] for slot in value])

    def filter_when(self, queryset, name, value):
        return queryset.happening_around(self.now)

    def filter_feature(self, queryset, name, value):
        return queryset.with_features(value)

    def filter_language(self, queryset, name, value):
        return queryset.in_languages(value)


MeetingFilter.base_filters["for"] = MeetingFilter.base_filters.pop("audience")

# The search's public parameters, and which of them repeat (?format=a&format=b).
SEARCH_PARAMETERS: dict[str, bool] = {
    name: isinstance(flt, django_filters.MultipleChoiceFilter)
    for name, flt in MeetingFilter.base_filters.items()
}
# Pages that list results in pages of PER_PAGE (meetings.search.page_of) read one more.
PAGE_PARAMETERS: dict[str, bool] = SEARCH_PARAMETERS | {"page": False}


def normalised_lists(params: QueryDict,
                     names: dict[str, bool] = SEARCH_PARAMETERS) -> list[tuple[str, list[str]]]:
    """The parameters that change the answer, in a fixed order: unknown ones left out,
    a repeatable one's values sorted, a single one's the value the search reads (the
    last). Whatever was built for the normalised query is right for the original."""
    return [(name, sorted(values) if names[name] else values[-1:])
            for name, values in sorted(params.lists())
            if name in names and values]


def normalised_query(params: QueryDict, names: dict[str, bool] = SEARCH_PARAMETERS) -> QueryDict:
    """normalised_lists as a query (see there)."""
    query = QueryDict(mutable=True)
    for name, values in normalised_lists(params, names):
        query.setlist(name, values)
    return QueryDict(query.urlencode())  # immutable, as request.GET is


def known_only(params: QueryDict, names: dict[str, bool] = SEARCH_PARAMETERS) -> QueryDict:
    """The query as asked, in its own order, less the parameters the search does not know."""
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        if name in names:
            query.setlist(name, values)
    return QueryDict(query.urlencode())  # immutable, as request.GET is
