"""Marketplace pages: browse and search, read one posting, post and edit.

Needs and capabilities share every view; `kind` ("need" or "capability", fixed per URL in
matchmaking/urls.py) picks the model, the access gate, the services and the form.
Reads go through selectors/search (visibility), writes through services (membership)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.selectors import (
    organisation_ids_of,
    organisation_list_for_member,
    user_has_confirmed_email,
    user_is_member,
)
from matchmaking import services
from matchmaking.forms import CapabilityForm, MarketplaceFilterForm, NeedForm, PostingForm
from matchmaking.glossary import glossary_tags
from matchmaking.insights.services import suggestions_shown_record
from matchmaking.models import Capability, Need, Posting
from matchmaking.search import posting_search
from matchmaking.selectors import access_capability, access_need
from matchmaking.suggestions.panel import posting_panel
from matchmaking.taxonomy import Domain, Technique

MARKETPLACE_PAGE_SIZE = 20


@dataclass(frozen=True)
class PostingKind:
    """Everything that differs between needs and capabilities on the pages."""

    name: str
    model: type[Posting]
    form_class: type[PostingForm]
    access: Callable[..., Posting]
    create: Callable[..., Posting]
    update: Callable[..., Posting]
    tab: str
    created_message: str

    def load(self, *, user, pk: int) -> Posting:
        return self.access(user=user, **{f"{self.name}_id": pk})

    def update_posting(self, *, posting: Posting, actor, **fields) -> Posting:
        return self.update(**{self.name: posting}, actor=actor, **fields)


KINDS = {
    "need": PostingKind(
        name="need",
        model=Need,
        form_class=NeedForm,
        access=access_need,
        create=services.need_create,
        update=services.need_update,
        tab="needs",
        created_message=_("Your need is published."),
    ),
    "capability": PostingKind(
        name="capability",
        model=Capability,
        form_class=CapabilityForm,
        access=access_capability,
        create=services.capability_create,
        update=services.capability_update,
        tab="capabilities",
        created_message=_("Your capability is published."),
    ),
}
TABS = {kind.tab: kind for kind in KINDS.values()}


def _add_errors(form: PostingForm, error: ValidationError) -> None:
    """A service's ValidationError onto the form; unknown fields go to the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def marketplace(request: HttpRequest) -> HttpResponse:
    kind = TABS.get(request.GET.get("show", ""), KINDS["need"])
    form = MarketplaceFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.to_filters()
    postings = posting_search(model=kind.model, user=request.user, filters=filters)
    page = Paginator(postings, MARKETPLACE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("show", None)
    context = {
        "form": form,
        "kind": kind.name,
        "tab": kind.tab,
        "page": page,
        "filtered": filters.narrows,
        "query_string": query.urlencode(),
    }
    return render(request, "matchmaking/marketplace.html", context)


def posting_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    config = KINDS[kind]
    posting = config.load(user=request.user, pk=pk)
    member_of = set(organisation_ids_of(request.user))
    is_member = posting.organisation_id in member_of
    panel = posting_panel(posting=posting, user=request.user, member_of=member_of)
    if panel is not None:
        suggestions_shown_record(source=posting, count=panel.shown)
    context = {
        "posting": posting,
        "kind": kind,
        "is_member": is_member,
        "panel": panel,
        "glossary_hints": _glossary_hints(posting) if is_member else {},
    }
    return render(request, f"matchmaking/{kind}_detail.html", context)


def _glossary_hints(posting: Posting) -> dict:
    """Techniques and domains the text speaks of but the posting does not list: a hint
    for its members, since tagged postings are easier to find and to match."""
    techniques, domains, _terms = glossary_tags(f"{posting.title}\n{posting.description}")
    return {
        "techniques": [Technique(c).label for c in sorted(techniques - set(posting.techniques))],
        "domains": [Domain(c).label for c in sorted(domains - set(posting.domains))],
    }


@login_required
def posting_create(request: HttpRequest, kind: str) -> HttpResponse:
    config = KINDS[kind]
    if not user_has_confirmed_email(request.user):
        messages.warning(
            request, _("Please confirm your e-mail address first: follow the link we sent you.")
        )
        return redirect("accounts:dashboard")
    organisations = organisation_list_for_member(user=request.user)
    form = config.form_class(
        request.POST or None,
        organisations=organisations,
        initial={"organisation": _preselected_organisation(request, organisations)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            posting = config.create(
                organisation=form.cleaned_data["organisation"],
                author=request.user,
                **form.posting_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, config.created_message)
            return redirect(f"matchmaking:{kind}_detail", pk=posting.pk)
    context = {"form": form, "kind": kind, "creating": True, "has_organisation": organisations}
    return render(request, "matchmaking/posting_form.html", context)


def _preselected_organisation(request: HttpRequest, organisations) -> int | None:
    """?organisation=<slug> from an organisation page, or the only one the user has."""
    slug = request.GET.get("organisation")
    chosen = [o for o in organisations if o.slug == slug] if slug else list(organisations[:2])
    return chosen[0].pk if len(chosen) == 1 else None


@login_required
def posting_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    config = KINDS[kind]
    posting = config.load(user=request.user, pk=pk)
    if not user_is_member(user=request.user, organisation=posting.organisation):
        raise PermissionDenied
    form = config.form_class(request.POST or None, initial=config.form_class.initial_from(posting))
    if request.method == "POST" and form.is_valid():
        try:
            config.update_posting(posting=posting, actor=request.user, **form.posting_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(f"matchmaking:{kind}_detail", pk=posting.pk)
    context = {"form": form, "kind": kind, "creating": False, "posting": posting}
    return render(request, "matchmaking/posting_form.html", context)


@require_POST
@login_required
def posting_close(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    posting = KINDS[kind].load(user=request.user, pk=pk)
    services.posting_close(posting=posting, actor=request.user)
    messages.success(request, _("Closed. It no longer shows in the marketplace by default."))
    return redirect(f"matchmaking:{kind}_detail", pk=posting.pk)


@require_POST
@login_required
def posting_reopen(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    posting = KINDS[kind].load(user=request.user, pk=pk)
    services.posting_reopen(posting=posting, actor=request.user)
    messages.success(request, _("Reopened."))
    return redirect(f"matchmaking:{kind}_detail", pk=posting.pk)


@login_required
def posting_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST deletes."""
    posting = KINDS[kind].load(user=request.user, pk=pk)
    if not user_is_member(user=request.user, organisation=posting.organisation):
        raise PermissionDenied
    if request.method == "POST":
        services.posting_delete(posting=posting, actor=request.user)
        messages.success(request, _("Deleted."))
        return redirect("accounts:organisation_detail", slug=posting.organisation.slug)
    return render(
        request, "matchmaking/posting_confirm_delete.html", {"posting": posting, "kind": kind}
    )
