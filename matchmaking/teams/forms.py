"""The team builder's form: the call, how many partners of each role, the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.teams.selectors import MAX_ROLES, ROLE_KINDS, CallSpec

DEFAULT_ROLES = {"research": 1, "sme": 1, "startup": 1}
MAX_CALL_CHARS = 5000


class TeamForm(forms.Form):
    coordinator = forms.ModelChoiceField(queryset=None, label=_("Coordinator"), empty_label=None)
    call = forms.CharField(
        label=_("Call or project idea"),
        max_length=MAX_CALL_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe the call or the idea in any language; each sentence is an aspect "
            "a partner can cover."
        ),
    )
    min_countries = forms.IntegerField(
        label=_("At least this many countries"), min_value=1, max_value=10, initial=2
    )
    min_smes = forms.IntegerField(
        label=_("At least this many SMEs"), min_value=0, max_value=MAX_ROLES, initial=1
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = organisations
        for code, (label, _kinds) in ROLE_KINDS.items():
            self.fields[f"role_{code}"] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MAX_ROLES,
                initial=DEFAULT_ROLES.get(code, 0),
                required=False,
            )

    def role_fields(self):
        return [self[f"role_{code}"] for code in ROLE_KINDS]

    def clean(self):
        data = super().clean()
        roles = self.roles()
        if not roles:
            raise forms.ValidationError(_("Ask for at least one partner role."))
        if len(roles) > MAX_ROLES:
            raise forms.ValidationError(
                _("At most %(max)d partners can be proposed at once.") % {"max": MAX_ROLES}
            )
        return data

    def roles(self) -> tuple[str, ...]:
        counts = self.cleaned_data
        return tuple(code for code in ROLE_KINDS for _n in range(counts.get(f"role_{code}") or 0))

    def call_spec(self) -> CallSpec:
        return CallSpec(
            text=self.cleaned_data["call"],
            roles=self.roles(),
            min_countries=self.cleaned_data["min_countries"],
            min_smes=self.cleaned_data["min_smes"],
        )
