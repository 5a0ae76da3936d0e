"""Writes of the collaboration network: past projects by hand or by import, linking
participants, hiding projects."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from config.background import enqueue_after_commit
from matchmaking.network.cordis import ProjectRecord
from matchmaking.network.linking import Linker
from matchmaking.network.models import OrganisationPic, PastProject, ProjectPartner

Status = ProjectPartner.Status


def _network_changed(*projects: PastProject) -> None:
    """The match store keeps need lists in the network's order: re-rank those these
    projects' organisations reach, once the write commits (matchmaking.tasks)."""
    from matchmaking.tasks import network_matches_refresh

    members = {project.organisation_id for project in projects}
    members |= set(
        ProjectPartner.objects.filter(project__in=[p.id for p in projects])
        .exclude(organisation=None)
        .values_list("organisation_id", flat=True)
    )
    enqueue_after_commit(network_matches_refresh, sorted(members))


@transaction.atomic
def past_project_create(
    *,
    organisation: Organisation,
    title: str,
    year: int,
    programme: str = "",
    acronym: str = "",
    partners: Iterable[Organisation] = (),
    hidden: bool = False,
) -> PastProject:
    """A project recorded by hand, with partners chosen among the platform's organisations."""
    project = PastProject(
        organisation=organisation,
        title=title,
        year=year,
        programme=programme,
        acronym=acronym,
        hidden=hidden,
    )
    project.full_clean()
    project.save()
    _link_partners(project, partners)
    _network_changed(project)
    return project


@transaction.atomic
def past_project_update(
    *, project: PastProject, partners: Iterable[Organisation] | None = None, **fields
) -> PastProject:
    """Change a project's own fields (title, acronym, programme, year, hidden) and, when
    `partners` is given, replace the partners linked to organisations on the platform by
    those (participants an import could not link stay for the importer to resolve)."""
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if partners is not None:
        _network_changed(project)  # the partners it had
        project.partners.filter(status=Status.LINKED).delete()
        _link_partners(project, partners)
    _network_changed(project)
    return project


def _link_partners(project: PastProject, partners: Iterable[Organisation]) -> None:
    for partner in partners:
        if partner.id == project.organisation_id:
            continue
        ProjectPartner.objects.create(
            project=project,
            organisation=partner,
            name=partner.name,
            country=partner.country,
            status=Status.LINKED,
        )


def past_project_set_hidden(*, project: PastProject, hidden: bool) -> PastProject:
    project.hidden = hidden
    project.save(update_fields=["hidden"])
    _network_changed(project)
    return project


@transaction.atomic
def past_project_delete(*, project: PastProject) -> None:
    _network_changed(project)
    project.delete()


@dataclass
class ImportReport:
    """What an import did: projects created or updated, partners linked, and the
    participants left for the importer to resolve."""

    created: int = 0
    updated: int = 0
    linked: int = 0
    unresolved: list[ProjectPartner] = field(default_factory=list)

    @property
    def ambiguous(self) -> list[ProjectPartner]:
        return [p for p in self.unresolved if p.status == Status.AMBIGUOUS]

    @property
    def unknown(self) -> list[ProjectPartner]:
        return [p for p in self.unresolved if p.status == Status.UNKNOWN]


def _is_self(organisation: Organisation, participant, link) -> bool:
    own_pic = getattr(getattr(organisation, "pic_code", None), "pic", "")
    if participant.pic and own_pic and participant.pic == own_pic:
        return True
    return link.organisation is not None and link.organisation.id == organisation.id


@transaction.atomic
def past_projects_import(
    *, organisation: Organisation, projects: list[ProjectRecord], linker: Linker | None = None
) -> ImportReport:
    """Record the projects for `organisation` (a project already recorded with the same
    id is replaced). The organisation itself among the participants is recognised by
    its PIC or name and skipped; the others are linked by PIC, else by normalised name +
    country, or stored unlinked as ambiguous/unknown for the importer to resolve."""
    linker = linker or Linker()
    report = ImportReport()
    recorded = []
    for record in projects:
        project, created = PastProject.objects.update_or_create(
            organisation=organisation,
            reference=record.reference,
            defaults={
                "title": record.title,
                "year": record.year,
                "acronym": record.acronym,
                "programme": record.programme,
            },
        )
        project.full_clean()
        recorded.append(project)
        report.created += created
        report.updated += not created
        project.partners.all().delete()
        for participant in record.participants:
            link = linker.link(
                name=participant.name, country=participant.country, pic=participant.pic
            )
            if _is_self(organisation, participant, link):
                continue
            partner = ProjectPartner.objects.create(
                project=project,
                organisation=link.organisation,
                name=participant.name[:300],
                country=participant.country,
                pic=participant.pic[:20],
                status=link.status,
            )
            if link.status == Status.LINKED:
                report.linked += 1
            else:
                report.unresolved.append(partner)
    _network_changed(*recorded)
    return report


@transaction.atomic
def project_partner_resolve(
    *, partner: ProjectPartner, organisation: Organisation | None
) -> ProjectPartner:
    """The importer's decision for an unresolved participant: this organisation, or
    (None) not on the platform. A PIC resolved by hand links later imports too."""
    if organisation is not None and organisation.id == partner.project.organisation_id:
        raise ValidationError(_("A project cannot list your own organisation as a partner."))
    partner.organisation = organisation
    partner.status = Status.LINKED if organisation else Status.UNKNOWN
    partner.save(update_fields=["organisation", "status"])
    _network_changed(partner.project)
    return partner


def organisation_set_pic(*, organisation: Organisation, pic: str) -> None:
    """Record (or clear, with an empty value) the organisation's PIC."""
    pic = pic.strip()
    if not pic:
        OrganisationPic.objects.filter(organisation=organisation).delete()
        return
    if not pic.isdigit() or len(pic) > 20:
        raise ValidationError({"pic": _("A PIC is a number of up to 20 digits.")})
    if OrganisationPic.objects.filter(pic=pic).exclude(organisation=organisation).exists():
        raise ValidationError({"pic": _("Another organisation already has this PIC.")})
    OrganisationPic.objects.update_or_create(organisation=organisation, defaults={"pic": pic})
