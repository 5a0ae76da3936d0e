"""Which changes the audit log records (django-auditlog), and the log of one organisation.

Each registered model answers `get_additional_data()` with its organisation's id, stored
on every entry, so an organisation's log is one indexed filter and survives the deletion
of the posting or membership it describes."""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import QuerySet

from accounts.models import Invitation, Membership, Organisation, ProgrammeManager


def audit_register() -> None:
    """Called once from AccountsConfig.ready(): organisations, roles, invitations and
    postings; texts are logged as they change, derived columns are not."""
    from matchmaking.models import Capability, Need

    auditlog.register(Organisation, exclude_fields=["updated_at"])
    auditlog.register(Membership, exclude_fields=["created_at"])
    auditlog.register(Invitation, exclude_fields=["token", "created_at"])
    auditlog.register(ProgrammeManager, exclude_fields=["created_at"])
    for model in (Need, Capability):
        auditlog.register(model, exclude_fields=["search_vector", "updated_at", "created_at"])


def audit_log_for_organisation(*, organisation: Organisation) -> QuerySet[LogEntry]:
    return (
        LogEntry.objects.filter(additional_data__organisation_id=organisation.id)
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
