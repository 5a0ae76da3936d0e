"""Past projects page of an organisation: record by hand, import CORDIS files, hide,
resolve participants the import could not link, and see who you worked with."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import access_organisation_for_member, organisation_list_visible_to
from matchmaking.network import services
from matchmaking.network.cordis import ImportFileError, parse_projects
from matchmaking.network.forms import PastProjectForm, PicForm, ProjectImportForm, ResolveForm
from matchmaking.network.linking import Linker
from matchmaking.network.models import PastProject, ProjectPartner
from matchmaking.network.selectors import (
    known_partner_list,
    past_project_list,
    unresolved_partner_list,
)


def _editable(request: HttpRequest, slug: str):
    organisation, membership = access_organisation_for_member(user=request.user, slug=slug)
    if request.method == "POST" and not membership.is_admin:
        raise PermissionDenied(
            _("Only administrators of this organisation may change its projects.")
        )
    return organisation


def _partner_choices(request, organisation):
    return organisation_list_visible_to(user=request.user).exclude(id=organisation.id)


@login_required
def past_projects(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _editable(request, slug)
    form = PastProjectForm(partner_choices=_partner_choices(request, organisation))
    if request.method == "POST":
        form = PastProjectForm(
            request.POST, partner_choices=_partner_choices(request, organisation)
        )
        if form.is_valid():
            try:
                services.past_project_create(organisation=organisation, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The project has been recorded."))
                return redirect("network:past_projects", slug=organisation.slug)
    linker = Linker()
    unresolved = [
        (
            partner,
            ResolveForm(
                choices=_resolve_choices(request, linker, partner), prefix=f"p{partner.id}"
            ),
        )
        for partner in unresolved_partner_list(organisation=organisation)
    ]
    pic = getattr(getattr(organisation, "pic_code", None), "pic", "")
    context = {
        "organisation": organisation,
        "projects": past_project_list(organisation=organisation, user=request.user),
        "form": form,
        "import_form": ProjectImportForm(),
        "pic_form": PicForm(initial={"pic": pic}),
        "unresolved": unresolved,
        "known_partners": known_partner_list(organisation=organisation, user=request.user),
    }
    return render(request, "network/past_projects.html", context)


def _resolve_choices(request, linker: Linker, partner: ProjectPartner):
    """The organisations that matched by name and country, else every visible one."""
    candidates = [o.id for o in linker.candidates_for(partner)]
    visible = _partner_choices(request, partner.project.organisation)
    return visible.filter(id__in=candidates) if candidates else visible


@login_required
@require_POST
def past_project_import(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _editable(request, slug)
    form = ProjectImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("network:past_projects", slug=organisation.slug)
    upload = form.cleaned_data["file"]
    try:
        records = parse_projects(upload.read(), upload.name)
    except ImportFileError as error:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": error})
        return redirect("network:past_projects", slug=organisation.slug)
    report = services.past_projects_import(organisation=organisation, projects=records)
    messages.success(
        request,
        _(
            "%(created)d projects imported, %(updated)d updated, %(linked)d partners linked; "
            "%(ambiguous)d ambiguous and %(unknown)d unknown participants are listed below."
        )
        % {
            "created": report.created,
            "updated": report.updated,
            "linked": report.linked,
            "ambiguous": len(report.ambiguous),
            "unknown": len(report.unknown),
        },
    )
    return redirect("network:past_projects", slug=organisation.slug)


@login_required
@require_POST
def past_project_visibility(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    organisation = _editable(request, slug)
    project = get_object_or_404(PastProject, id=project_id, organisation=organisation)
    services.past_project_set_hidden(project=project, hidden=request.POST.get("hidden") == "1")
    return redirect("network:past_projects", slug=organisation.slug)


@login_required
@require_POST
def past_project_delete(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    organisation = _editable(request, slug)
    project = get_object_or_404(PastProject, id=project_id, organisation=organisation)
    services.past_project_delete(project=project)
    messages.success(request, _("The project has been deleted."))
    return redirect("network:past_projects", slug=organisation.slug)


@login_required
@require_POST
def project_partner_resolve(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    organisation = _editable(request, slug)
    partner = get_object_or_404(ProjectPartner, id=partner_id, project__organisation=organisation)
    form = ResolveForm(
        request.POST,
        choices=_resolve_choices(request, Linker(), partner),
        prefix=f"p{partner.id}",
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed organisations."))
        return redirect("network:past_projects", slug=organisation.slug)
    try:
        services.project_partner_resolve(
            partner=partner, organisation=form.cleaned_data["organisation"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("network:past_projects", slug=organisation.slug)


@login_required
@require_POST
def organisation_pic(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _editable(request, slug)
    form = PicForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_set_pic(organisation=organisation, pic=form.cleaned_data["pic"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The PIC has been saved."))
    return redirect("network:past_projects", slug=organisation.slug)
