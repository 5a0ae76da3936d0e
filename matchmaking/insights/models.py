"""What the dashboard counts that nothing else records: suggestions shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionsShown(models.Model):
    """How many suggestions members of organisations in one country and NUTS-2 region saw
    on one day, per kind of list (need, capability, organisation). One counter row per
    (day, kind, country, region), raised by one upsert per page view
    (`insights.services.suggestions_shown_record`): no row per suggestion or viewer, so
    nothing personal is kept and the table stays small."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("list"), max_length=16)
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("NUTS-2 region"), max_length=4, blank=True)
    shown = models.PositiveIntegerField(_("suggestions shown"), default=0)

    class Meta:
        verbose_name = _("suggestions shown")
        verbose_name_plural = _("suggestions shown")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "country", "region"], name="suggestions_shown_one_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.country}/{self.region}: {self.shown}"
