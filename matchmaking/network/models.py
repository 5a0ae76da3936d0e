"""Past collaborations an organisation records, by hand or imported from CORDIS data."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class PastProject(models.Model):
    """A project the recording organisation took part in. `reference` (the CORDIS project
    id) lets two organisations' records of one project count as one collaboration.
    A hidden project gives no edge and appears in nobody's reasons."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="past_projects"
    )
    title = models.CharField(_("title"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    programme = models.CharField(_("programme"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(
        _("start year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    reference = models.CharField(_("project id"), max_length=40, blank=True)
    hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden projects are never shown or used.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=~models.Q(reference=""),
                name="network_project_reference_once_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.acronym or self.title} ({self.year})"


class ProjectPartner(models.Model):
    """A participant of a past project. `organisation` is set once the participant is
    linked to an organisation on the platform; until then `status` says why not."""

    class Status(models.TextChoices):
        LINKED = "linked", _("Linked")
        AMBIGUOUS = "ambiguous", _("Several organisations match")
        UNKNOWN = "unknown", _("Not on the platform")

    project = models.ForeignKey(PastProject, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=300)
    country = models.CharField(_("country"), max_length=2, blank=True)
    pic = models.CharField(_("PIC"), max_length=20, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationPic(models.Model):
    """The EU Participant Identification Code of an organisation: imports link by it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="pic_code"
    )
    pic = models.CharField(_("PIC"), max_length=20, unique=True)

    def __str__(self) -> str:
        return self.pic
