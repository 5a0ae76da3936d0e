"""Suggestion pages and the feedback form (save, dismiss, contact).

Only signed-in members of the source's organisation see a source's suggestions or act on
them; everyone else gets 404 (matchmaking.suggestions.feedback.access_suggestion_source).
The panel on need and capability detail pages is built by matchmaking.views.posting_detail
with matchmaking.suggestions.panel."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from matchmaking.insights.services import suggestions_shown_record
from matchmaking.kinds import KINDS, NEED, ORGANISATION, TARGET_KINDS, item_kind
from matchmaking.suggestions import (
    organisation_suggestion_list,
    suggestion_list_for_capability,
    suggestions_for_need,
)
from matchmaking.suggestions.feedback import (
    FEEDBACK_SERVICES,
    access_suggestion_source,
    access_suggestion_target,
)
from matchmaking.suggestions.links import source_url, target_url
from matchmaking.suggestions.panel import panel_of
from matchmaking.suggestions.services import suggestion_feedback_give

PAGE_LIMIT = 20

DONE_MESSAGES = {
    "save": _("Saved. Similar suggestions will rank higher for you."),
    "dismiss": _("Dismissed. This suggestion will not come back for you."),
    "contact": _("Noted as contacted. Here is their profile."),
}


class FeedbackForm(forms.Form):
    """One verdict on one suggested pair; the source comes from the URL."""

    action = forms.ChoiceField(choices=[(a, a) for a in FEEDBACK_SERVICES])
    target_kind = forms.ChoiceField(choices=[(k, k) for k in KINDS])
    target_id = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=300, required=False, label=_("Reason (optional)"))
    next = forms.CharField(required=False)

    def __init__(self, *args, source_kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source_kind = source_kind

    def clean_target_kind(self) -> str:
        kind = self.cleaned_data["target_kind"]
        if kind not in TARGET_KINDS[self.source_kind]:
            raise ValidationError(_("This kind is never suggested here."))
        return kind


def _back(request: HttpRequest, source) -> HttpResponseRedirect:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(source_url(source))


@login_required
def posting_suggestions(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """All suggestions of one need or capability (the detail page shows the first few)."""
    source = access_suggestion_source(user=request.user, kind=kind, key=pk)
    if kind == NEED:
        found = suggestions_for_need(need=source, user=request.user, limit=PAGE_LIMIT)
        panel = panel_of(source, found.capabilities, found.organisations)
    else:
        panel = panel_of(
            source,
            suggestion_list_for_capability(capability=source, user=request.user, limit=PAGE_LIMIT),
        )
    suggestions_shown_record(source=source, count=panel.shown)
    context = {"source": source, "kind": kind, "panel": panel}
    return render(request, "matchmaking/suggestions_posting.html", context)


@login_required
def organisation_suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """Reciprocal partner organisations, for the organisation's members."""
    organisation = access_suggestion_source(user=request.user, kind=ORGANISATION, key=slug)
    suggestions = organisation_suggestion_list(
        organisation=organisation, user=request.user, limit=PAGE_LIMIT
    )
    panel = panel_of(organisation, suggestions)
    suggestions_shown_record(source=organisation, count=panel.shown)
    context = {"source": organisation, "kind": ORGANISATION, "panel": panel}
    return render(request, "matchmaking/suggestions_organisation.html", context)


@require_POST
def suggestion_feedback(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Save, dismiss or contact one suggestion, then back to where the form was."""
    source = access_suggestion_source(user=request.user, kind=kind, key=key)
    form = FeedbackForm(request.POST, source_kind=kind)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label or field}: {' '.join(errors)}")
        return _back(request, source)
    data = form.cleaned_data
    target = access_suggestion_target(
        user=request.user, kind=data["target_kind"], target_id=data["target_id"]
    )
    try:
        suggestion_feedback_give(
            user=request.user,
            source=source,
            target=target,
            action=data["action"],
            reason=data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, source)
    messages.success(request, DONE_MESSAGES[data["action"]])
    if data["action"] == "contact":
        partner = target if item_kind(target) == ORGANISATION else target.organisation
        # An anonymous posting's stand-in owner has no page: stay on the posting.
        return redirect(target_url(partner if partner.pk else target))
    return _back(request, source)
