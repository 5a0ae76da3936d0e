"""Pages for signing up, organisations, members and invitations. Each view parses input,
calls one service or selector and renders; permissions live in services and selectors."""

import json

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import privacy, services
from accounts.audit import audit_log_for_organisation
from accounts.forms import (
    AccountDeleteForm,
    DirectoryFilterForm,
    InvitationForm,
    MembershipRoleForm,
    OrganisationDeleteForm,
    OrganisationForm,
)
from accounts.models import Membership, Organisation
from accounts.selectors import (
    access_invitation,
    access_membership,
    access_organisation,
    access_organisation_for_member,
    invitation_by_token,
    invitation_list_open,
    membership_for,
    membership_list_for_organisation,
    membership_list_for_user,
    organisation_directory,
    organisation_list_visible_to,
    user_has_confirmed_email,
)
from matchmaking.collaboration.anonymity import attributable
from matchmaking.selectors import (
    capability_list_visible_to,
    need_list_visible_to,
    posting_list_authored_by,
)

DIRECTORY_PAGE_SIZE = 24
AUDIT_PAGE_SIZE = 50


def _add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form; errors for fields the form lacks go to
    the top of the form instead of being lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "organisation_count": organisation_list_visible_to(user=request.user).count(),
        "need_count": need_list_visible_to(user=request.user).filter(status="open").count(),
        "capability_count": capability_list_visible_to(user=request.user)
        .filter(status="open")
        .count(),
    }
    return render(request, "home.html", context)


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    """E-mail confirmation, password and two-factor authentication in one place."""
    context = {
        "email_confirmed": user_has_confirmed_email(request.user),
        "totp_enabled": is_mfa_enabled(request.user, [Authenticator.Type.TOTP]),
    }
    return render(request, "accounts/account_security.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "memberships": membership_list_for_user(user=request.user),
        "postings": posting_list_authored_by(user=request.user),
        "email_confirmed": user_has_confirmed_email(request.user),
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                organisation = services.organisation_create(
                    creator=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s has been created. You are its administrator.")
                    % {"name": organisation.name},
                )
                return redirect("accounts:organisation_detail", slug=organisation.slug)
    else:
        form = OrganisationForm()
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(user=request.user, slug=slug)
    membership = membership_for(user=request.user, organisation=organisation)
    # Anonymous postings of others stay off the page: listing them here would name their owner.
    needs = attributable(
        need_list_visible_to(user=request.user).filter(organisation=organisation, status="open"),
        user=request.user,
    )[:10]
    capabilities = attributable(
        capability_list_visible_to(user=request.user).filter(
            organisation=organisation, status="open"
        ),
        user=request.user,
    )[:10]
    context = {
        "organisation": organisation,
        "membership": membership,
        "member_count": organisation.memberships.count(),
        "needs": needs,
        "capabilities": capabilities,
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(user=request.user, slug=slug)
    membership = membership_for(user=request.user, organisation=organisation)
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only administrators of this organisation may edit it."))
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                services.organisation_update(
                    organisation=organisation, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The profile has been saved."))
                return redirect("accounts:organisation_detail", slug=organisation.slug)
    else:
        form = OrganisationForm(initial=OrganisationForm.initial_from(organisation))
    context = {"form": form, "organisation": organisation, "creating": False}
    return render(request, "accounts/organisation_form.html", context)


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = {"kind": "", "country": "", "region": "", "query": ""}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
        filters = {
            "kind": data.get("kind", ""),
            "country": data.get("country", ""),
            "region": data.get("region", ""),
            "query": data.get("q", "").strip(),
        }
    organisations = organisation_directory(user=request.user, **filters)
    page = Paginator(organisations, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": any(filters.values()),
        "query_string": query_without_page.urlencode(),
    }
    return render(request, "accounts/organisation_list.html", context)


@login_required
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, membership = access_organisation_for_member(user=request.user, slug=slug)
    invite_form = InvitationForm()
    if request.method == "POST":
        invite_form = InvitationForm(request.POST)
        if invite_form.is_valid():
            try:
                invitation = services.invitation_create(
                    organisation=organisation,
                    inviter=request.user,
                    email=invite_form.cleaned_data["email"],
                    role=invite_form.cleaned_data["role"],
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                _add_errors(invite_form, error)
            else:
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("accounts:organisation_members", slug=organisation.slug)
    members = membership_list_for_organisation(organisation=organisation)
    context = {
        "organisation": organisation,
        "membership": membership,
        "members": [(m, MembershipRoleForm(initial={"role": m.role})) for m in members],
        "invitations": invitation_list_open(organisation=organisation)
        if membership.is_admin
        else [],
        "invite_form": invite_form,
    }
    return render(request, "accounts/organisation_members.html", context)


@login_required
@require_POST
def membership_role(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organisation, _own = access_organisation_for_member(user=request.user, slug=slug)
    target = access_membership(organisation=organisation, membership_id=membership_id)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(
                membership=target, actor=request.user, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": target.user, "role": target.get_role_display()},
            )
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organisation, _own = access_organisation_for_member(user=request.user, slug=slug)
    target = access_membership(organisation=organisation, membership_id=membership_id)
    leaving = target.user_id == request.user.id
    try:
        services.membership_remove(membership=target, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:organisation_members", slug=organisation.slug)
    if leaving:
        messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
        return redirect("accounts:dashboard")
    messages.success(request, _("%(person)s has been removed.") % {"person": target.user})
    return redirect("accounts:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    organisation, _own = access_organisation_for_member(user=request.user, slug=slug)
    invitation = access_invitation(organisation=organisation, invitation_id=invitation_id)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect("accounts:organisation_members", slug=organisation.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the link sees the invitation; accepting needs the invited account.
    Visitors without a session are sent to sign up or log in and brought back here."""
    invitation = invitation_by_token(token=token)
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if not invitation.is_open:
        return render(request, "accounts/invitation_used.html", context, status=410)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("Welcome to %(name)s!") % {"name": invitation.organisation.name},
            )
            return redirect("accounts:organisation_detail", slug=invitation.organisation.slug)
    here = reverse("accounts:invitation_accept", kwargs={"token": token})
    context["here"] = here
    context["wrong_account"] = (
        request.user.is_authenticated and request.user.email.lower() != invitation.email.lower()
    )
    context["invited_role"] = Membership.Role(invitation.role).label
    return render(request, "accounts/invitation_accept.html", context)


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def account_data_export(request: HttpRequest) -> HttpResponse:
    """Everything stored about the signed-in person, as JSON (GDPR art. 15 and 20)."""
    return _json_download(privacy.user_data_export(user=request.user), "my-data.json")


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """GET asks for the password, POST erases the account and signs out."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.user_delete(user=request.user, actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})


@login_required
def organisation_data_export(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _membership = access_organisation_for_member(user=request.user, slug=slug)
    data = privacy.organisation_data_export(organisation=organisation, actor=request.user)
    return _json_download(data, f"{organisation.slug}-data.json")


@login_required
def organisation_delete(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks to type the name, POST erases the organisation."""
    organisation, membership = access_organisation_for_member(user=request.user, slug=slug)
    if not membership.is_admin:
        raise PermissionDenied(_("Only administrators of this organisation may delete it."))
    form = OrganisationDeleteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        privacy.organisation_delete(organisation=organisation, actor=request.user)
        messages.success(
            request, _("%(name)s has been deleted.") % {"name": form.cleaned_data["name"]}
        )
        return redirect("accounts:dashboard")
    context = {"form": form, "organisation": organisation}
    return render(request, "accounts/organisation_delete.html", context)


@login_required
def organisation_audit(request: HttpRequest, slug: str) -> HttpResponse:
    """Who changed what: for the organisation's admins, and for staff."""
    if request.user.is_staff:
        organisation = get_object_or_404(Organisation, slug=slug)
    else:
        organisation, membership = access_organisation_for_member(user=request.user, slug=slug)
        if not membership.is_admin:
            raise PermissionDenied(_("Only administrators of this organisation see its log."))
    entries = audit_log_for_organisation(organisation=organisation)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organisation": organisation, "page": page}
    return render(request, "accounts/organisation_audit.html", context)
