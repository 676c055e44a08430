"""The PostgreSQL backend: the Store interface with records in a database.

    store = PgStore("/srv/rifd/data", "postgresql://rifd@/rifd")

Chosen by store.open_store when a database URL is given (RIFD_DATABASE_URL).
"""

from store.postgres.store import PgStore

__all__ = ["PgStore"]
