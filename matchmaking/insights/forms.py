"""The map's switch (needs or capabilities) and technique filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.taxonomy import Technique


class MapFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("needs", _("Open needs")), ("capabilities", _("Open capabilities"))],
    )
    technique = forms.ChoiceField(
        label=_("AI technique"),
        required=False,
        choices=[("", _("All techniques")), *Technique.choices],
    )

    def filters(self) -> tuple[str, str]:
        """(show, technique) from valid input; a bad value falls back to the default."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("show") or "needs", data.get("technique") or ""
