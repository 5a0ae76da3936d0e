"""The three kinds of things the platform matches: needs, capabilities and organisations.

One definition for embeddings (owners of vectors), tasks (ids by kind), the suggestion
engine (sources and targets) and feedback (pairs). The words are also stored (embedding
owner columns, match rows) and used in URLs, so they never change."""

from accounts.models import Organisation
from matchmaking.models import Capability, Need, Posting

NEED = "need"
CAPABILITY = "capability"
ORGANISATION = "organisation"
KINDS = (NEED, CAPABILITY, ORGANISATION)
POSTING_KINDS = (NEED, CAPABILITY)

Item = Need | Capability | Organisation

MODELS: dict[str, type[Item]] = {NEED: Need, CAPABILITY: Capability, ORGANISATION: Organisation}

# What may be suggested for what: needs get capabilities and the organisations behind
# them, capabilities get needs, organisations get organisations.
TARGET_KINDS: dict[str, tuple[str, ...]] = {
    NEED: (CAPABILITY, ORGANISATION),
    CAPABILITY: (NEED,),
    ORGANISATION: (ORGANISATION,),
}


def item_kind(item: Item) -> str:
    """ "need", "capability" or "organisation" for a model instance."""
    for kind, model in MODELS.items():
        if isinstance(item, model):
            return kind
    raise TypeError(f"Not a need, capability or organisation: {type(item).__name__}")


def kind_of(model: type[Item]) -> str:
    for kind, candidate in MODELS.items():
        if model is candidate:
            return kind
    raise TypeError(f"Not a need, capability or organisation model: {model.__name__}")


def posting_model(kind: str) -> type[Posting]:
    """Need or Capability for "need" or "capability"; ValueError for anything else."""
    if kind not in POSTING_KINDS:
        raise ValueError(f"kind must be need or capability, not {kind!r}")
    return MODELS[kind]


def counterpart(model: type[Posting]) -> type[Posting]:
    """What a posting is matched with: needs with capabilities and the other way round."""
    return Capability if model is Need else Need


def item_organisation_id(item: Item) -> int:
    return item.id if isinstance(item, Organisation) else item.organisation_id
