"""Forms for contact requests, their thread and outcomes, and exclusions: they parse input
only; services.py decides what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.collaboration.models import ContactOutcome, OrganisationExclusion
from matchmaking.models import Posting


def posting_key(posting: Posting) -> str:
    return f"{posting._meta.model_name}:{posting.pk}"


class ContactRequestForm(forms.Form):
    """`organisations` are where the user may send from; `postings` their open postings,
    offered as "what it is about"."""

    sender_organisation = forms.TypedChoiceField(label=_("On behalf of"), coerce=int)
    about = forms.ChoiceField(label=_("Which of your postings is it about?"), required=False)
    reason = forms.CharField(
        label=_("Why would you like to talk?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences: what you have in mind and what you can bring."),
    )

    def __init__(self, *args, organisations, postings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sender_organisation"].choices = [(o.id, o.name) for o in organisations]
        self.fields["about"].choices = [("", _("— none in particular —"))] + [
            (
                posting_key(p),
                f"{p._meta.verbose_name.capitalize()}: {p.title} ({p.organisation.name})",
            )
            for p in postings
        ]
        self.postings = {posting_key(p): p for p in postings}

    def about_posting(self) -> Posting | None:
        return self.postings.get(self.cleaned_data.get("about") or "")


class ContactAnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason (optional)"), max_length=1000, required=False)


class ContactMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContactOutcomeForm(forms.Form):
    stage = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.Stage.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class ExclusionForm(forms.Form):
    excluded = forms.ChoiceField(label=_("Organisation"))
    reason = forms.ChoiceField(
        label=_("Why"), choices=OrganisationExclusion.Reason.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.id): o for o in organisations}
        self.fields["excluded"].choices = [("", "—")] + [(str(o.id), o.name) for o in organisations]


class EenImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("json", "JSON")])
    file = forms.FileField(label=_("File"), help_text=_("EEN layout, UTF-8; at most 1,000 rows."))

    def content(self) -> str:
        return self.cleaned_data["file"].read().decode("utf-8", errors="replace")
