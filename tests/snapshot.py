"""A copy of the test database taken once, after migrations and the bundle load, and put back in
well under a second: tests that need committed data (a live server, code that opens its own
transactions) get the loaded bundle without reading and writing the 45,000 rows again.

SQLite copies the whole database with SQLite's backup API; PostgreSQL keeps each table as
binary COPY output and the value of every sequence.
"""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper


class Snapshot(Protocol):
    def restore(self) -> None:
        """Make the database what it was when the snapshot was taken."""


def take(connection: BaseDatabaseWrapper) -> Snapshot:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return SQLiteSnapshot(connection)
    if connection.vendor == "postgresql":
        return PostgreSQLSnapshot(connection)
    raise NotImplementedError(f"no snapshot for {connection.vendor}")


class SQLiteSnapshot:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.copy)

    def restore(self) -> None:
        self.connection.ensure_connection()
        self.copy.backup(self.connection.connection)


class PostgreSQLSnapshot:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        from psycopg import sql

        self.connection = connection
        self.tables: dict[str, bytes] = {}
        with connection.connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
            for (table,) in cursor.fetchall():
                query = sql.SQL("COPY {} TO STDOUT (FORMAT BINARY)").format(sql.Identifier(table))
                with cursor.copy(query) as copy:
                    self.tables[table] = b"".join(bytes(chunk) for chunk in copy)
            cursor.execute(
                "SELECT format('%I', sequencename), last_value FROM pg_sequences "
                "WHERE schemaname = current_schema()"
            )
            self.sequences: list[tuple[str, int | None]] = cursor.fetchall()

    def restore(self) -> None:
        from psycopg import sql

        self.connection.ensure_connection()
        # Django's foreign keys are DEFERRABLE: checked at commit, so the order of the deletes and
        # copies does not matter. DELETE, not TRUNCATE: the tables are nearly empty after a
        # transactional test's flush, and truncating 80 tables took seconds.
        atomic = transaction.atomic(using=self.connection.alias)
        with atomic, self.connection.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            if cursor.fetchone() == (True,):
                # The snapshot was consistent: checking its 80,000 foreign keys again at commit
                # took a second. Only a superuser may switch the checks off.
                cursor.execute("SET LOCAL session_replication_role = replica")
            for table in self.tables:
                cursor.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            for table, data in self.tables.items():
                if len(data) <= BINARY_COPY_WITHOUT_ROWS:
                    continue
                query = sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(sql.Identifier(table))
                with cursor.copy(query) as copy:
                    copy.write(data)
            for sequence, value in self.sequences:
                if value is None:  # never used
                    cursor.execute("SELECT setval(%s, 1, false)", [sequence])
                else:
                    cursor.execute("SELECT setval(%s, %s, true)", [sequence, value])


# A binary COPY of an empty table is its 19-byte header and the 2-byte trailer.
BINARY_COPY_WITHOUT_ROWS = 21


@contextmanager
def delete_instead_of_truncate(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Make the flush that ends every transactional test DELETE rows instead of TRUNCATE on
    PostgreSQL: truncating 80 nearly empty tables took 2-5 s, deleting them 0.1 s. Sequences are
    kept either way (a transactional test does not reset them)."""
    truncate = connection.ops.sql_flush

    def sql_flush(
        style: Any,
        tables: Sequence[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or not tables:
            return truncate(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # Django's foreign keys are deferrable, so the order of the deletes does not matter.
        quote = connection.ops.quote_name
        return ["SET CONSTRAINTS ALL DEFERRED"] + [f"DELETE FROM {quote(t)}" for t in tables]

    connection.ops.sql_flush = sql_flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        connection.ops.sql_flush = truncate  # type: ignore[method-assign]
