"""Contact requests between organisations, their thread and outcomes, and exclusions.

A request goes from a member of one organisation (the sender side) to another organisation
(the recipient side), optionally about one of the sender's postings and about one of the
recipient's postings (the posting it was sent from: for an anonymous posting this is the
expression of interest that only the poster can answer)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from matchmaking.models import Capability, Need

ANONYMOUS_NAME = _("Anonymous organisation")


class AnonymousOrganisation(Organisation):
    """A stand-in for a hidden owner: kind, country, region and working languages of the
    real one, nothing that names it. Never saved (no id, no slug)."""

    is_anonymous = True

    class Meta:
        proxy = True

    def __str__(self) -> str:
        return str(ANONYMOUS_NAME)


class ContactRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sender_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_requests_sent"
    )
    recipient_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_requests_received"
    )
    about_need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_capability = models.ForeignKey(
        Capability, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_capability = models.ForeignKey(
        Capability, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("why you would like to talk"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    response_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender_organisation=models.F("recipient_organisation")),
                name="contact_request_not_to_self",
            ),
            models.CheckConstraint(
                condition=models.Q(about_need__isnull=True)
                | models.Q(about_capability__isnull=True),
                name="contact_request_one_about_posting",
            ),
            models.CheckConstraint(
                condition=models.Q(target_need__isnull=True)
                | models.Q(target_capability__isnull=True),
                name="contact_request_one_target_posting",
            ),
            # At most one pending request per direction; a second click waits for the answer.
            models.UniqueConstraint(
                fields=["sender_organisation", "recipient_organisation"],
                condition=models.Q(status="pending"),
                name="contact_request_one_pending_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_organisation_id} → {self.recipient_organisation_id} ({self.status})"

    @property
    def about_posting(self) -> Need | Capability | None:
        return self.about_need or self.about_capability

    @property
    def target_posting(self) -> Need | Capability | None:
        return self.target_need or self.target_capability

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class ContactMessage(models.Model):
    """One message of the thread both sides share after acceptance."""

    contact_request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:40]


class ContactOutcome(models.Model):
    """What came of an accepted contact; the newest row is where the pair stands now."""

    class Stage(models.TextChoices):
        MET = "met", _("Met")
        FOLLOW_UP = "follow_up", _("Follow-up planned")
        PROPOSAL = "proposal", _("Proposal submitted")
        PARTNERSHIP = "partnership", _("Partnership")
        CONTRACT = "contract", _("Contract")

    contact_request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="outcomes"
    )
    stage = models.CharField(_("outcome"), max_length=16, choices=Stage.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.stage


class OrganisationExclusion(models.Model):
    """An organisation's "never suggest X" or "we already work with X". Either way the pair
    leaves suggestions in both directions."""

    class Reason(models.TextChoices):
        NEVER_SUGGEST = "never_suggest", _("Never suggest (competitor, same group)")
        ALREADY_PARTNERS = "already_partners", _("We already work with them")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="exclusions"
    )
    excluded = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="excluded_by",
    )
    reason = models.CharField(_("why"), max_length=24, choices=Reason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "excluded"], name="exclusion_unique_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("excluded")),
                name="exclusion_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} ⊘ {self.excluded_id}"
