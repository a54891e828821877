"""The import report: what was read, what changed, and every row we could not use."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Wording:
    """How a front end names the import's choices, so that its messages say what to do
    there: the command speaks of options, the staff page of its fields."""
    choose_fellowship: str
    give_time_zone: str
    allow_partial: str
    include_outside_uk: str


COMMAND_WORDING = Wording(
    choose_fellowship=gettext_lazy("give their fellowship with --fellowship SLUG"),
    give_time_zone=gettext_lazy("give the time zone of the feed's times with --timezone ZONE"),
    allow_partial=gettext_lazy("use --allow-partial to import the rows that were understood"),
    include_outside_uk=gettext_lazy("use --include-outside-uk to import them"),
)

# What a problem shows of a value: enough to find it in the source.
SHOWN_VALUE = 200


@dataclass
class Problem:
    item: str  # "item 12" (JSON) or "line 5" (CSV)
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        return f"{self.item}: {self.field} = {value!r}: {self.reason}"


@dataclass
class Conflict:
    """A field staff edited that the source has changed since: kept, or overwritten."""
    meeting: str  # "Name (source id)"
    field: str
    staff_value: str
    feed_value: str
    overwritten: bool = False

    def __str__(self) -> str:
        def short(value: str) -> str:
            return repr(value if len(value) <= 60 else value[:57] + "...")
        return _("%(meeting)s: %(field)s: staff %(staff)s, source %(feed)s") % {
            "meeting": self.meeting, "field": self.field, "staff": short(self.staff_value),
            "feed": short(self.feed_value)}


@dataclass
class ImportReport:
    source: str
    format: str
    dry_run: bool = False
    allow_partial: bool = False
    wording: Wording = COMMAND_WORDING
    read: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    closed: list[str] = field(default_factory=list)
    # Fields staff edited that the source changed too (see docs/importing.md).
    conflicts: list[Conflict] = field(default_factory=list)
    venues_created: int = 0
    venues_updated: int = 0
    groups_created: int = 0
    errors: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unknown_types: Counter = field(default_factory=Counter)
    outside_uk: int = 0  # meetings imported at venues outside the UK
    outside_uk_left_out: int = 0  # in-person or hybrid meetings outside the UK, not asked for
    zones_from_coordinates: Counter = field(default_factory=Counter)
    # Items present in the source that we could not use: never closed for being "missing".
    failed_source_ids: set[str] = field(default_factory=set)
    written: bool = False

    @property
    def changes(self) -> int:
        return (
            len(self.created) + len(self.updated) + len(self.closed)
            + self.venues_created + self.venues_updated + self.groups_created
        )

    @property
    def blocked(self) -> bool:
        """Errors stop the whole import unless partial imports were allowed."""
        return bool(self.errors) and not self.allow_partial

    def error(self, item: str, field_name: str, value, reason: str) -> None:
        self.errors.append(Problem(item, field_name, shown(value), reason))

    def skip(self, item: str, field_name: str, value, reason: str) -> None:
        self.skipped.append(Problem(item, field_name, shown(value), reason))

    def warn(self, item: str, field_name: str, value, reason: str) -> None:
        self.warnings.append(Problem(item, field_name, shown(value), reason))

    def lines(self, limit: int = 50) -> list[str]:
        out = [
            _("Source: %(source)s (%(format)s)") % {"source": self.source, "format": self.format},
            _("Read %(read)d items: %(new)d meetings new, %(changed)d changed, %(same)d "
              "unchanged, %(closed)d closed (no longer in the source).") % {
                "read": self.read, "new": len(self.created), "changed": len(self.updated),
                "same": self.unchanged, "closed": len(self.closed)},
            _("Venues: %(new)d new, %(changed)d changed. Groups: %(groups)d new.") % {
                "new": self.venues_created, "changed": self.venues_updated,
                "groups": self.groups_created},
        ]
        if self.outside_uk_left_out:
            out.append(_(
                "%(n)d in-person or hybrid meetings outside the UK were left out: "
                "%(hint)s.") % {"n": self.outside_uk_left_out,
                                "hint": self.wording.include_outside_uk})
        if self.outside_uk:
            out.append(_(
                "%(n)d meetings are at venues outside the UK: imported with their own address "
                "and coordinates.") % {"n": self.outside_uk})
        if self.zones_from_coordinates:
            zones = ", ".join(f"{zone} ({n})" for zone, n in
                              sorted(self.zones_from_coordinates.items()))
            out.append(_("Time zones taken from the coordinates of meetings outside the UK "
                         "(no time zone was given): %(zones)s") % {"zones": zones})
        if self.unknown_types:
            codes = ", ".join(f"{shown(code)[:30]} ({n})"
                              for code, n in sorted(self.unknown_types.items()))
            out.append(_("Type codes we have no feature for (ignored): %(codes)s")
                       % {"codes": codes})
        for title, problems in [
            (_("Errors"), self.errors), (_("Skipped"), self.skipped),
            (_("Warnings"), self.warnings),
        ]:
            if problems:
                out.append(f"{title} ({len(problems)}):")
                out += [f"  {problem}" for problem in problems[:limit]]
                if len(problems) > limit:
                    out.append("  " + _("... and %(n)d more") % {"n": len(problems) - limit})
        kept = [c for c in self.conflicts if not c.overwritten]
        overwritten = [c for c in self.conflicts if c.overwritten]
        for title, note, conflicts in [
            (_("Kept staff edits"), _("the source changed these fields too; the staff value "
                                      "stays unless you overwrite edits"), kept),
            (_("Overwrote staff edits"), _("the source's value replaced the staff value"),
             overwritten),
        ]:
            if conflicts:
                out.append(f"{title} ({len(conflicts)}): {note}:")
                out += [f"  {conflict}" for conflict in conflicts[:limit]]
                if len(conflicts) > limit:
                    out.append("  " + _("... and %(n)d more") % {"n": len(conflicts) - limit})
        for name, fields in self.updated[:limit]:
            out.append(_("Changed: %(name)s: %(fields)s") % {"name": name,
                                                             "fields": ", ".join(fields)})
        if self.blocked:
            out.append(_("Nothing was written: fix the errors, or %(hint)s.")
                       % {"hint": self.wording.allow_partial})
        elif self.dry_run:
            out.append(_("Dry run: nothing was written."))
        return out

    def as_text(self) -> str:
        return "\n".join(self.lines())


def shown(value) -> str:
    """A value as a problem shows it: cut short, since a feed's value may be any size."""
    if value is None:
        return ""
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # an integer too long for Python to write out
        text = type(value).__name__
    return text if len(text) <= SHOWN_VALUE else text[:SHOWN_VALUE] + "..."
