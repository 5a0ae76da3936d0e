"""Reads of the collaboration network, always as seen by one user.

The one privacy rule lives in `collaboration_list_visible_to`: an organisation the user
may not see (hidden) is left out of the graph entirely, with every edge and project it
is part of recorded by it; a project hidden by any organisation that recorded it counts
for nobody. Everything downstream (scores, reasons, known partners) reads that graph.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.selectors import AnyUser, organisation_list_visible_to
from matchmaking.network import graph as network
from matchmaking.network.models import PastProject, ProjectPartner

PROJECT = "project"
MEETING = "meeting"
PLATFORM = "platform"


def past_project_list(*, organisation: Organisation, user: AnyUser):
    """An organisation's recorded projects with the partners `user` may see: a partner
    organisation hidden from the user is left out (an unlinked name stays)."""
    partners = ProjectPartner.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__in=organisation_list_visible_to(user=user))
    ).select_related("organisation")
    return PastProject.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("partners", queryset=partners)
    )


def unresolved_partner_list(*, organisation: Organisation):
    return (
        ProjectPartner.objects.filter(project__organisation=organisation)
        .exclude(status=ProjectPartner.Status.LINKED)
        .select_related("project")
    )


def _project_collaborations(visible: set[int]) -> list[network.Collaboration]:
    hidden_references = set(
        PastProject.objects.filter(hidden=True)
        .exclude(reference="")
        .values_list("reference", flat=True)
    )
    merged: dict[tuple, dict] = {}
    projects = (
        PastProject.objects.filter(hidden=False, organisation_id__in=visible)
        .prefetch_related("partners")
        .order_by("id")
    )
    for project in projects:
        if project.reference and project.reference in hidden_references:
            continue
        key = ("ref", project.reference) if project.reference else ("id", project.id)
        entry = merged.setdefault(
            key,
            {"members": [], "label": project.acronym or project.title, "year": project.year},
        )
        entry["members"].append(project.organisation_id)
        entry["members"].extend(
            p.organisation_id for p in project.partners.all() if p.organisation_id in visible
        )
    return [
        network.Collaboration(
            key=key,
            members=tuple(entry["members"]),
            label=entry["label"],
            year=entry["year"],
            source=PROJECT,
        )
        for key, entry in merged.items()
    ]


def _meeting_collaborations(visible: set[int]) -> list[network.Collaboration]:
    """Meetings held at events (events app): two organisations that talked."""
    from events.selectors import meeting_list_held

    return [
        network.Collaboration(
            key=("meeting", meeting.id),
            members=(meeting.a.organisation_id, meeting.b.organisation_id),
            label=meeting.event.name,
            year=meeting.slot.day.year,
            source=MEETING,
        )
        for meeting in meeting_list_held(organisation_ids=list(visible))
        if meeting.a.organisation_id in visible and meeting.b.organisation_id in visible
    ]


def _platform_collaborations(visible: set[int]) -> list[network.Collaboration]:
    """Accepted contacts and recorded partnerships/contracts (collaboration app)."""
    from matchmaking.collaboration.selectors import collaboration_edge_list

    return [
        network.Collaboration(
            key=("platform", edge.organisation_a, edge.organisation_b, edge.kind),
            members=(edge.organisation_a, edge.organisation_b),
            label=edge.kind,
            year=edge.since.year if edge.since else None,
            source=PLATFORM,
        )
        for edge in collaboration_edge_list()
        if edge.organisation_a in visible and edge.organisation_b in visible
    ]


def collaboration_list_visible_to(*, user: AnyUser) -> list[network.Collaboration]:
    visible = set(organisation_list_visible_to(user=user).values_list("id", flat=True))
    return (
        _project_collaborations(visible)
        + _meeting_collaborations(visible)
        + _platform_collaborations(visible)
    )


def collaboration_graph_for(*, user: AnyUser) -> network.CollaborationGraph:
    """The graph as `user` may see it; every visible organisation is a node."""
    organisations = organisation_list_visible_to(user=user).values_list("id", flat=True)
    return network.CollaborationGraph(
        collaboration_list_visible_to(user=user), nodes=list(organisations)
    )


def collaboration_text(collaboration: network.Collaboration) -> str:
    """“project X, 2021” or “meeting at Event, 2026”: what a person can check."""
    if collaboration.source == PLATFORM:
        return _("contact through this platform, %(year)s") % {"year": collaboration.year}
    if collaboration.source == MEETING:
        return _("meeting at %(event)s, %(year)s") % {
            "event": collaboration.label,
            "year": collaboration.year,
        }
    return _("project %(title)s, %(year)s") % {
        "title": collaboration.label,
        "year": collaboration.year,
    }


@dataclass
class KnownPartner:
    organisation: Organisation
    collaborations: list[str]


def known_partner_list(
    *, organisation: Organisation, user: AnyUser, graph: network.CollaborationGraph | None = None
) -> list[KnownPartner]:
    """Organisations `organisation` worked with before, as `user` may see them, with the
    collaborations that show it (newest first)."""
    graph = graph or collaboration_graph_for(user=user)
    partner_ids = graph.partners(organisation.id)
    organisations = Organisation.objects.filter(id__in=partner_ids).order_by("name")
    return [
        KnownPartner(
            partner,
            [collaboration_text(c) for c in graph.shared_records(organisation.id, partner.id)],
        )
        for partner in organisations
    ]


@dataclass
class WarmIntroduction:
    """Query and candidate both worked with `via`: ask `via` to introduce you."""

    via: Organisation
    ours: str
    theirs: str

    @property
    def reason(self) -> str:
        return _("You both worked with %(partner)s — %(ours)s; they: %(theirs)s.") % {
            "partner": self.via.name,
            "ours": self.ours,
            "theirs": self.theirs,
        }


def warm_introductions(
    *, graph: network.CollaborationGraph, query: int, candidates: Sequence[int]
) -> dict[int, list[WarmIntroduction]]:
    found = {c: network.introductions(graph, query, c) for c in candidates}
    partner_ids = {i.partner for items in found.values() for i in items}
    partners = Organisation.objects.in_bulk(partner_ids)
    return {
        candidate: [
            WarmIntroduction(
                partners[i.partner],
                collaboration_text(i.with_query),
                collaboration_text(i.with_candidate),
            )
            for i in items
        ]
        for candidate, items in found.items()
    }


def project_keys_shown(keys: Sequence[tuple]) -> set[tuple]:
    """Those of these project collaboration keys (("ref", reference) or ("id", id), as in
    `_project_collaborations`) whose project still counts: not hidden by anyone that
    recorded it, not deleted. One query; for records kept elsewhere (the match store)."""
    references = [key[1] for key in keys if key[0] == "ref"]
    ids = [key[1] for key in keys if key[0] == "id"]
    if not references and not ids:
        return set()
    shown, hidden = set(), set()
    for project_id, reference, is_hidden in PastProject.objects.filter(
        Q(reference__in=references) | Q(id__in=ids)
    ).values_list("id", "reference", "hidden"):
        key = ("ref", reference) if reference else ("id", project_id)
        (hidden if is_hidden else shown).add(key)
    return shown - hidden
