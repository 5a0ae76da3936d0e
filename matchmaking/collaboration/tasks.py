"""E-mails about contact requests. A task takes an id and an event name and sends the
notification through Django's mail backend; it reads the request again, so an e-mail
never shows more than the receiving side may see (an anonymous recipient stays unnamed
to the sender until it accepts)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

RETRY = {
    "autoretry_for": (DatabaseError, ConnectionError),
    "retry_backoff": True,
    "max_retries": 5,
    "acks_late": True,
}
# Who hears about what: the recipient organisation about a new request, the sender about
# the answer, the other side about a new message.
EVENTS = ("sent", "accepted", "declined", "message")


@shared_task(**RETRY)
def contact_request_notify(request_id: int, event: str) -> int:
    """Send the notification of `event`; returns the number of e-mails sent."""
    from accounts.models import Membership
    from matchmaking.collaboration.models import ContactRequest
    from matchmaking.collaboration.selectors import present

    if event not in EVENTS:
        raise ValueError(f"contact_request_notify: unknown event {event!r}")
    request = (
        ContactRequest.objects.select_related(
            "sender_organisation",
            "recipient_organisation",
            "sender",
            "responder",
            "target_need",
            "target_capability",
            "about_need",
            "about_capability",
        )
        .filter(id=request_id)
        .first()
    )
    if request is None:
        return 0
    if event == "sent":
        to_side = request.recipient_organisation
    elif event == "message":
        last = request.messages.order_by("-created_at", "-id").first()
        from_side = last.organisation_id if last else request.sender_organisation_id
        to_side = (
            request.recipient_organisation
            if from_side == request.sender_organisation_id
            else request.sender_organisation
        )
    else:
        to_side = request.sender_organisation
    present(request, member_of={to_side.id})
    recipients = list(
        Membership.objects.filter(organisation=to_side).values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    url = settings.SITE_URL.rstrip("/") + reverse("collaboration:detail", args=[request.id])
    with translation.override(settings.LANGUAGE_CODE):
        context = {"request": request, "event": event, "url": url}
        subject = render_to_string("collaboration/email/subject.txt", context).strip()
        body = render_to_string("collaboration/email/notification.txt", context)
    return send_mass_mail([(subject, body, None, [address]) for address in recipients])
