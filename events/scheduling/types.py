"""Plain data the scheduler reads and writes: no ORM, so the same code serves the site,
the Celery task and `manage.py bench_schedule`, and an outside program can check it."""

from dataclasses import dataclass, field

# Participant kinds whose meeting count the fairness target protects.
FAIRNESS_KINDS = frozenset({"sme"})


@dataclass(frozen=True)
class Participant:
    id: int
    kind: str
    available: frozenset[int]
    max_meetings: int


@dataclass(frozen=True)
class Pair:
    """A candidate meeting. `required` pairs (accepted requests, organiser pins) must be
    scheduled; `score` in [0, 1] is what the optimiser maximises for the others."""

    a: int
    b: int
    score: float
    required: bool = False


@dataclass(frozen=True)
class Meeting:
    a: int
    b: int
    slot: int
    table: int


@dataclass(frozen=True)
class Instance:
    """One event's scheduling problem. `slots` are in time order; `day_of_slot` maps a slot
    to its day so that compactness (few idle gaps) is judged within a day. `locked` are
    confirmed or published meetings: they keep their slot and table and count against
    every capacity. Vetoed and declined pairs are simply not in `pairs`."""

    slots: tuple[int, ...]
    tables: int
    participants: tuple[Participant, ...]
    pairs: tuple[Pair, ...]
    locked: tuple[Meeting, ...] = ()
    day_of_slot: dict[int, int] = field(default_factory=dict)
    fairness_target: int = 0


@dataclass
class Schedule:
    meetings: list[Meeting]
    score: float
    bound: float | None = None
    seconds: float = 0.0
    status: str = ""
    unscheduled_required: list[Pair] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.bound is None:
            return None
        return self.score / self.bound if self.bound > 0 else 1.0
