"""Running the hand-written SQL of every public request: the content version and a page build's queries.

Django's cursor wrapper (checks, error translation, timing hooks) cost about twice what one of
these small queries takes to run. So, unless something is watching queries (DEBUG, a test
counting them, an execute wrapper such as a tracing tool's), they run on the database backend's
own cursor (the one Django wraps: it still turns %s into the driver's placeholders), after the
same connection checks, with errors translated into Django's as its cursor does. Watched, they go
through Django's cursor and are counted like any other.
"""


def fetch_rows(connection, sql, params=None):
    """All the rows of a query, as tuples."""
    if connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        cursor = connection.create_cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()
