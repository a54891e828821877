"""Which listings a staff account may see and edit (issue 12, part 4).

    Meeting.objects.editable_by(request.user)      # or any queryset: qs.editable_by(user)

A superuser: everything. A volunteer (staff.Volunteer): the meetings of their
fellowships and, if they have postcode areas, only those at a venue in one of them; the
venues and groups of those meetings; and their fellowships (to choose, not to edit).
Any other account, staff or not: nothing.

The querysets below are mixed into the models' managers; they import no model at load
time, because groups and meetings import them.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    fellowship_ids: frozenset[int] = frozenset()
    areas: tuple[str, ...] = ()

    @classmethod
    def of(cls, user) -> "Scope":
        """One query for a volunteer; none for a superuser or a visitor."""
        if isinstance(user, Scope):
            return user
        if user is None or not user.is_authenticated or not user.is_active:
            return NOTHING
        if user.is_superuser:
            return EVERYTHING
        if not user.is_staff:
            return NOTHING
        volunteer = apps.get_model("staff", "Volunteer")
        rows = list(volunteer.fellowships.through.objects.filter(
            volunteer__user=user).values_list("fellowship_id", "volunteer__areas"))
        fellowship_ids = frozenset(fellowship_id for fellowship_id, _areas in rows)
        areas = tuple(rows[0][1].split()) if fellowship_ids else ()
        return cls(fellowship_ids=fellowship_ids, areas=areas)

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.fellowship_ids

    def covers(self, fellowship_id: int, postcode: str) -> bool:
        """Whether a meeting of this fellowship at this postcode ("" for none) is theirs:
        the same rule as MeetingScope.editable_by, for rows not yet in the database."""
        if self.everything:
            return True
        if fellowship_id not in self.fellowship_ids:
            return False
        area = re.match(r"[A-Z]*", postcode.upper()).group()
        return not self.areas or area in self.areas

    def in_areas(self, postcode_field: str) -> Q:
        """Postcodes in one of the areas: "LS" takes LS6 1AA, and "L" takes L1 8JQ but
        not LS6 1AA. Areas are validated as one or two capitals (staff.models)."""
        if not self.areas:
            return Q()
        pattern = "^(" + "|".join(self.areas) + ")[0-9]"
        return Q(**{f"{postcode_field}__regex": pattern})


EVERYTHING = Scope(everything=True)
NOTHING = Scope()


class MeetingScope(models.QuerySet):
    def editable_by(self, user) -> "MeetingScope":
        scope = Scope.of(user)
        if scope.everything:
            return self
        if scope.is_empty:
            return self.none()
        # An online meeting with no venue is in no area: an area volunteer leaves it to
        # the fellowship's own volunteers.
        return self.filter(scope.in_areas("venue__postcode"),
                           fellowship_id__in=scope.fellowship_ids)


class VenueScope(models.QuerySet):
    def editable_by(self, user) -> "VenueScope":
        """Venues where one of the volunteer's meetings is held, so a hall shared by two
        fellowships is editable by the volunteers of both; and venues with no meetings
        yet (in the volunteer's areas), which show visitors nothing and must be
        editable by the volunteer who has just added one for a new meeting."""
        scope = Scope.of(user)
        if scope.everything:
            return self
        if scope.is_empty:
            return self.none()
        meetings = apps.get_model("meetings", "Meeting").objects.filter(venue=OuterRef("pk"))
        return self.filter(
            Exists(meetings.editable_by(scope))
            | (~Exists(meetings) & scope.in_areas("postcode"))
        )


class GroupScope(models.QuerySet):
    def editable_by(self, user) -> "GroupScope":
        """Groups of the volunteer's fellowships; with areas, those with a meeting in
        them, or with no meetings yet."""
        scope = Scope.of(user)
        if scope.everything:
            return self
        if scope.is_empty:
            return self.none()
        theirs = self.filter(fellowship_id__in=scope.fellowship_ids)
        if not scope.areas:
            return theirs
        meetings = apps.get_model("meetings", "Meeting").objects.filter(group=OuterRef("pk"))
        return theirs.filter(Exists(meetings.editable_by(scope)) | ~Exists(meetings))


class FellowshipScope(models.QuerySet):
    def editable_by(self, user) -> "FellowshipScope":
        """The fellowships a volunteer works for: to choose for their meetings. Editing a
        fellowship's own record takes a permission volunteers are not given."""
        scope = Scope.of(user)
        if scope.everything:
            return self
        return self.filter(pk__in=scope.fellowship_ids)
