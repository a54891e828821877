from django.db import connection


def refresh_statistics() -> None:
    """After a bulk write on SQLite, refresh the planner's statistics.

    Without them SQLite ignores the venue coordinate index and a 10-mile search takes
    several times longer. PostgreSQL's autovacuum keeps its own statistics.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
