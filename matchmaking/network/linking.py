"""Participants of imported projects linked to organisations on the platform: by PIC,
else by normalised name + country. Several matches are reported as ambiguous and none
as unknown; nothing is guessed."""

import re
import unicodedata
from dataclasses import dataclass, field

from accounts.models import Organisation
from matchmaking.network.models import OrganisationPic, ProjectPartner

# Legal forms dropped before names are compared ("Fraunhofer-Gesellschaft e.V." and
# "FRAUNHOFER GESELLSCHAFT" are one name).
LEGAL_FORMS = frozenset(
    "ev eg gmbh mbh ag kg ug ggmbh co kgaa se sa sas sarl srl spa sl bv nv ab as oy oyj ltd "
    "limited plc inc llc aisbl asbl vzw zrt kft sro as doo ou the".split()
)


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("ß", "ss")
    words = re.findall(r"[a-z0-9]+", text.replace(".", ""))
    return " ".join(word for word in words if word not in LEGAL_FORMS)


@dataclass
class Link:
    status: str
    organisation: Organisation | None = None
    candidates: list[Organisation] = field(default_factory=list)


class Linker:
    """Links participants against all organisations, loaded once per import."""

    def __init__(self) -> None:
        self.by_pic: dict[str, Organisation] = {
            p.pic: p.organisation for p in OrganisationPic.objects.select_related("organisation")
        }
        # A PIC an importer linked by hand before counts as known too.
        for partner in (
            ProjectPartner.objects.filter(
                status=ProjectPartner.Status.LINKED, organisation__isnull=False
            )
            .exclude(pic="")
            .select_related("organisation")
        ):
            self.by_pic.setdefault(partner.pic, partner.organisation)
        self.by_name: dict[tuple[str, str], list[Organisation]] = {}
        for organisation in Organisation.objects.all():
            key = (normalise_name(organisation.name), organisation.country.upper())
            self.by_name.setdefault(key, []).append(organisation)

    def link(self, *, name: str, country: str, pic: str) -> Link:
        if pic and pic in self.by_pic:
            return Link(ProjectPartner.Status.LINKED, self.by_pic[pic])
        found = self.by_name.get((normalise_name(name), country.upper()), [])
        if len(found) == 1:
            return Link(ProjectPartner.Status.LINKED, found[0])
        if found:
            return Link(ProjectPartner.Status.AMBIGUOUS, candidates=found)
        return Link(ProjectPartner.Status.UNKNOWN)

    def candidates_for(self, partner: ProjectPartner) -> list[Organisation]:
        return self.by_name.get((normalise_name(partner.name), partner.country.upper()), [])
