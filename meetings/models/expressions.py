"""SQL expressions the meeting queries compile: distance, days to the next meeting, and
an M2M table's keys as text. Each is one template, as the same arithmetic in Django's
own functions compiled to dozens of expressions on every search."""

import datetime
import math

from django.db.models import (
    Aggregate,
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
)

from .. import schedule
from .choices import Recurrence, Weekday

# Radius of curvature of the Earth at British latitudes (GRS80 ellipsoid around 54°N,
# between the meridional and prime-vertical radii): keeps great-circle distances
# within about 0.2% of the geodesic anywhere in Great Britain.
EARTH_RADIUS_MILES = 3966.5
MILES_PER_DEGREE_LATITUDE = 69.0


class MilesFrom(Func):
    """Miles from a fixed point to the row's coordinates along the Earth's surface, by
    the haversine formula. One template, so a search compiles two columns rather than
    the thirty-odd expressions that Django's Sin, Cos and Power made of it."""

    output_field = FloatField()

    def __init__(self, latitude: float, longitude: float, latitude_field: str,
                 longitude_field: str):
        super().__init__(F(latitude_field), F(longitude_field))
        self.origin = (latitude, longitude)

    def as_sql(self, compiler, connection, **extra_context):
        (lat, lat_params), (lon, lon_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        latitude, longitude = self.origin
        sql = (
            f"({2 * EARTH_RADIUS_MILES} * ASIN(SQRT("
            f"POWER(SIN((RADIANS({lat}) - %s) / 2), 2)"
            f" + %s * COS(RADIANS({lat})) * POWER(SIN((RADIANS({lon}) - %s) / 2), 2))))"
        )
        params = (
            *lat_params, math.radians(latitude), math.cos(math.radians(latitude)),
            *lat_params, *lon_params, math.radians(longitude),
        )
        return sql, params


class DaysAway(Func):
    """Days from today (UK time) to each meeting's next occurrence: 0 for one later
    today or in progress, otherwise the days to the next date it meets on.

    The days are worked out in Python for each (recurrence, weekday) pair, as
    meetings.schedule counts them, and written as a CASE on the recurrence, then the
    weekday, so a weekly meeting costs the database a few comparisons. Built as one
    template: as 42 Django When objects it was compiled anew, piece by piece, on every
    search.
    """

    output_field = IntegerField()

    def __init__(self, now: datetime.datetime):
        super().__init__(F("recurrence"), F("weekday"), F("start_time"), F("end_time"))
        self.now = now

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        if any(params for _sql, params in compiled):
            raise ValueError("DaysAway expects plain columns")
        recurrence, weekday, start, end = (sql for sql, _params in compiled)
        local = self.now.astimezone(schedule.LONDON)
        today, now_time = local.date(), local.time()
        hour_ago = local - datetime.timedelta(hours=1)
        # Not over yet: starts later, has not ended, runs past midnight, or (with no end
        # time, so taken to last an hour) started less than an hour ago today.
        not_over = (
            f"({start} >= %s OR {end} > %s OR {end} < {start}"
            f" OR ({end} IS NULL AND {start} > %s))"
        )
        adapt = connection.ops.adapt_timefield_value
        not_over_params = [
            adapt(now_time), adapt(now_time),
            adapt(hour_ago.time() if hour_ago.date() == today else datetime.time(0)),
        ]
        tomorrow = today + datetime.timedelta(days=1)
        sql, params = [f"CASE {recurrence}"], []
        for value in Recurrence.values:
            sql.append(f"WHEN %s THEN CASE {weekday}")
            params.append(value)
            for day in Weekday.values:
                away = schedule.days_until(day, value, today)
                if away == 0:
                    later = 1 + schedule.days_until(day, value, tomorrow)
                    sql.append(f"WHEN {day:d} THEN CASE WHEN {not_over} THEN 0 ELSE {later:d} END")
                    params += not_over_params
                else:
                    sql.append(f"WHEN {day:d} THEN {away:d}")
            sql.append("ELSE 99 END")
        sql.append("ELSE 99 END")
        return "(" + " ".join(sql) + ")", params


class Keys(Aggregate):
    """The group's values as text joined by commas (STRING_AGG, or GROUP_CONCAT on
    SQLite); for ids and language codes, which hold no commas."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def keys_of(through, column: str) -> Subquery:
    """One meeting's rows of an M2M through table, as `Keys` of `column`."""
    return Subquery(
        through.objects.filter(meeting_id=OuterRef("pk"))
        .values("meeting_id").annotate(keys=Keys(column)).values("keys")
    )
