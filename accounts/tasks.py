"""Periodic housekeeping of the accounts app (beat schedule in config/celery.py)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.services import invitations_purge_expired


@shared_task(acks_late=True)
def expired_purge() -> dict[str, int]:
    """Delete expired sessions and invitations. Idempotent: a second run finds nothing."""
    sessions, _per_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"sessions": sessions, "invitations": invitations_purge_expired()}
