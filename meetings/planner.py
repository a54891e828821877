"""The query planner's statistics after bulk writes."""

from django.db import connection
from django.db.models import Model

from groups.models import Group

from .models import Meeting, Place, Postcode, PostcodePrefix, Venue

# What an import or seed_demo fills, and what load_postcodes replaces.
LISTING_MODELS = [Meeting, Venue, Group, Meeting.features.through, Meeting.languages.through]
POSTCODE_MODELS = [Postcode, PostcodePrefix, Place]


def refresh_statistics(models: list[type[Model]]) -> None:
    """ANALYZE the tables of these models, after a bulk write filled them.

    Without statistics the planner guesses: SQLite ignores the venue coordinate index (a
    10-mile search several times slower), and PostgreSQL took 4.5 s for a search near
    LS6 1AA after 20,000 meetings were loaded (issue 14). PostgreSQL's autovacuum would
    gather them in time, but only after a threshold of changes and when it is on, so a
    new deployment would be slow until then. Run outside the writing transaction, so
    the statistics describe committed rows; it reads a sample (30,000 rows per table on
    PostgreSQL), a fraction of a second even for the 1.7 million postcodes.
    """
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    # PostgreSQL analyzes a list in one statement; SQLite takes one table at a time.
    statements = [f"ANALYZE {', '.join(tables)}"] if connection.vendor == "postgresql" else [
        f"ANALYZE {table}" for table in tables
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
