from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class PastProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    acronym = forms.CharField(label=_("Acronym"), max_length=60, required=False)
    programme = forms.CharField(
        label=_("Programme"), max_length=120, required=False, help_text=_("e.g. Horizon Europe")
    )
    year = forms.IntegerField(label=_("Start year"), min_value=1950, max_value=2100)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners on the platform"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    hidden = forms.BooleanField(
        label=_("Hide this project"),
        required=False,
        help_text=_("A hidden project is never shown to anyone else or used for suggestions."),
    )

    def __init__(self, *args, partner_choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if partner_choices is not None:
            self.fields["partners"].queryset = partner_choices


class ProjectImportForm(forms.Form):
    file = forms.FileField(
        label=_("CORDIS file (CSV or JSON)"),
        help_text=_(
            "One row per participant: projectID, acronym, title, startDate, name, country, "
            "organisationID (PIC); or a JSON list of projects with participants."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class PicForm(forms.Form):
    pic = forms.CharField(
        label=_("PIC (EU Participant Identification Code)"), max_length=20, required=False
    )


class ResolveForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not on the platform"),
    )

    def __init__(self, *args, choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["organisation"].queryset = choices
