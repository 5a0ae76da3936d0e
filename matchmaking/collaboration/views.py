"""Pages for contact requests (list, send, read, answer, thread, outcomes) and for an
organisation's exclusions. Reads go through selectors (members of either side only),
writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.selectors import (
    access_organisation,
    access_organisation_for_member,
    organisation_list_for_member,
    organisation_list_visible_to,
)
from matchmaking.collaboration import een, services
from matchmaking.collaboration.api import een_download
from matchmaking.collaboration.forms import (
    ContactAnswerForm,
    ContactMessageForm,
    ContactOutcomeForm,
    ContactRequestForm,
    EenImportForm,
    ExclusionForm,
)
from matchmaking.collaboration.selectors import (
    access_contact_request,
    contact_request_list_for,
    exclusion_list_for,
    message_list_for,
    outcome_list_for,
    own_open_posting_list,
)
from matchmaking.selectors import access_capability, access_need


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    requests = contact_request_list_for(user=request.user)
    context = {
        "received": [r for r in requests if r.side == "recipient"],
        "sent": [r for r in requests if r.side == "sender"],
    }
    return render(request, "collaboration/contact_list.html", context)


def _target_of(request: HttpRequest):
    """(recipient organisation or None, target posting or None) from ?need=, ?capability=
    or ?organisation=; 404 for anything the user may not see."""
    params = request.GET
    try:
        if params.get("need"):
            return None, access_need(user=request.user, need_id=int(params["need"]))
        if params.get("capability"):
            return None, access_capability(
                user=request.user, capability_id=int(params["capability"])
            )
    except ValueError:
        raise Http404 from None
    if params.get("organisation"):
        return access_organisation(user=request.user, slug=params["organisation"]), None
    raise Http404


@login_required
def contact_new(request: HttpRequest) -> HttpResponse:
    """The request form, reached from a suggestion, a posting or an organisation page."""
    recipient, target = _target_of(request)
    organisations = list(organisation_list_for_member(user=request.user))
    form = ContactRequestForm(
        request.POST or None,
        organisations=organisations,
        postings=own_open_posting_list(user=request.user),
        initial={"about": request.GET.get("about", "")},
    )
    if request.method == "POST" and form.is_valid():
        sender_organisation = next(
            o for o in organisations if o.id == form.cleaned_data["sender_organisation"]
        )
        try:
            sent = services.contact_request_send(
                sender=request.user,
                sender_organisation=sender_organisation,
                recipient_organisation=recipient,
                target=target,
                about=form.about_posting(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Your contact request has been sent."))
            return redirect("collaboration:detail", pk=sent.pk)
    context = {
        "form": form,
        "recipient": target.organisation if target is not None else recipient,
        "target": target,
        "has_organisation": bool(organisations),
    }
    return render(request, "collaboration/contact_new.html", context)


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = access_contact_request(user=request.user, request_id=pk)
    context = {
        "contact": contact,
        "thread": message_list_for(request=contact) if contact.is_accepted else [],
        "outcomes": outcome_list_for(request=contact),
        "answer_form": ContactAnswerForm(),
        "message_form": ContactMessageForm(),
        "outcome_form": ContactOutcomeForm(),
    }
    return render(request, "collaboration/contact_detail.html", context)


def _posted(request: HttpRequest, pk: int, form_class, act) -> HttpResponse:
    """Run `act(contact, cleaned_data)` for a valid form; errors become messages."""
    contact = access_contact_request(user=request.user, request_id=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("collaboration:detail", pk=pk)
    try:
        done = act(contact, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect("collaboration:detail", pk=pk)


@require_POST
@login_required
def contact_answer(request: HttpRequest, pk: int) -> HttpResponse:
    def act(contact, data):
        if data["decision"] == "accept":
            services.contact_request_accept(
                request=contact, actor=request.user, reason=data["reason"]
            )
            return _("Accepted. You can now write to each other.")
        services.contact_request_decline(request=contact, actor=request.user, reason=data["reason"])
        return _("Declined.")

    return _posted(request, pk, ContactAnswerForm, act)


@require_POST
@login_required
def contact_message(request: HttpRequest, pk: int) -> HttpResponse:
    def act(contact, data):
        services.contact_message_post(request=contact, author=request.user, body=data["body"])
        return _("Message sent.")

    return _posted(request, pk, ContactMessageForm, act)


@require_POST
@login_required
def contact_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    def act(contact, data):
        services.contact_outcome_record(
            request=contact, actor=request.user, stage=data["stage"], note=data["note"]
        )
        return _("Outcome recorded.")

    return _posted(request, pk, ContactOutcomeForm, act)


@login_required
def exclusion_list(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's "never suggest" and "already partners" list, for its members."""
    organisation, _membership = access_organisation_for_member(user=request.user, slug=slug)
    candidates = organisation_list_visible_to(user=request.user).exclude(id=organisation.id)
    form = ExclusionForm(request.POST or None, organisations=candidates.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.exclusion_add(
                organisation=organisation,
                excluded=form.organisations[form.cleaned_data["excluded"]],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Saved. The pair no longer appears in suggestions."))
            return redirect("collaboration:exclusions", slug=slug)
    context = {
        "organisation": organisation,
        "exclusions": exclusion_list_for(organisation=organisation),
        "form": form,
    }
    return render(request, "collaboration/exclusion_list.html", context)


@require_POST
@login_required
def exclusion_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _membership = access_organisation_for_member(user=request.user, slug=slug)
    exclusion = get_object_or_404(exclusion_list_for(organisation=organisation), id=pk)
    services.exclusion_remove(exclusion=exclusion, actor=request.user)
    messages.success(request, _("Removed."))
    return redirect("collaboration:exclusions", slug=slug)


def een_export_page(request: HttpRequest) -> HttpResponse:
    """Download the open postings the visitor may see, or one organisation's."""
    fmt = request.GET.get("format", "csv")
    if fmt not in een.FORMATS:
        raise Http404
    slug = request.GET.get("organisation")
    organisation = access_organisation(user=request.user, slug=slug) if slug else None
    return een_download(request.user, organisation, fmt)


@login_required
def een_import_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload EEN rows for the organisation; every bad row is listed, nothing is written
    unless all are good."""
    organisation, _membership = access_organisation_for_member(user=request.user, slug=slug)
    form = EenImportForm(request.POST or None, request.FILES or None)
    row_errors = {}
    if request.method == "POST" and form.is_valid():
        try:
            rows = een.een_parse(form.content(), fmt=form.cleaned_data["format"])
            created = een.een_import(organisation=organisation, actor=request.user, rows=rows)
        except een.EenImportError as error:
            row_errors = error.rows
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("%(count)d postings imported.") % {"count": len(created)})
            return redirect("accounts:organisation_detail", slug=slug)
    context = {"organisation": organisation, "form": form, "row_errors": row_errors}
    return render(request, "collaboration/een_import.html", context)
