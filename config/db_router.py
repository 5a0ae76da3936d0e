"""Suggestion reads from a read replica (DATABASE_REPLICA_URL, see docs/deployment.md).

Pages and the API read suggestions from the match store (`Match`, `MatchSource`), written
only by Celery workers: these reads may lag the primary by the replication delay without
harm (a list is at most a moment old; a fresh posting says "being prepared" a moment
longer). Everything else, and every write, stays on the primary, so a member always reads
what they just saved. Workers are run without DATABASE_REPLICA_URL: they rank from, and
write to, the primary."""

REPLICA = "replica"
READ_FROM_REPLICA = {"matchmaking.match", "matchmaking.matchsource"}


class SuggestionReadRouter:
    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if model._meta.label_lower in READ_FROM_REPLICA else None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        """The replica copies the primary's schema by replication, never by migrate."""
        return db != REPLICA
