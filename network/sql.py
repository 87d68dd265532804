"""Running the hand-written SQL of every public request: the content version and a page build's queries.

Django's cursor wrapper (checks, error translation, timing hooks) cost about twice what one of
these small queries takes to run. So, unless something is watching queries (DEBUG, a test
counting them, an execute wrapper such as a tracing tool's), they run on the database backend's
own cursor (the one Django wraps: it still turns %s into the driver's placeholders), after the
same connection checks, with errors translated into Django's as its cursor does. Watched, they go
through Django's cursor and are counted like any other.
"""

import functools

from django.db import connections


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


def instances_in_sql(manager, where, params):
    """The manager's model instances chosen by a WHERE (and ORDER BY) clause in SQL.

    All their fields are selected and each instance is made as the ORM makes it (Model.from_db),
    with the fields' database converters applied, so they are ordinary instances.
    """
    model, connection = manager.model, connections[manager.db]
    columns, converters = selection(model, connection)
    rows = fetch_rows(connection, f"SELECT {columns} FROM {model._meta.db_table} {where}", params)
    instances = []
    for row in rows:
        if converters:
            row = list(row)
            for index, expression, converter in converters:
                row[index] = converter(row[index], expression, connection)
        instances.append(model.from_db(manager.db, None, row))
    return instances


# Depends only on the model and the connection (one per database and thread), so memoised.
@functools.lru_cache(maxsize=64)
def selection(model, connection):
    """The columns that select all of a model's fields, in from_db()'s order, and their converters."""
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    converters = [
        (index, field.cached_col, converter)
        for index, field in enumerate(fields)
        for converter in connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(connection)
    ]
    return columns, converters
