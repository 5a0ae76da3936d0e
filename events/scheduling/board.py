"""Who sits where: the occupancy of an event's slots and tables, shared by the greedy
baseline, the optimiser's table assignment and the checker, so all three agree on what a
clash is."""

from collections import defaultdict

from events.scheduling.types import Instance, Meeting, Pair


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class Board:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.participants = {p.id: p for p in instance.participants}
        self.busy: set[tuple[int, int]] = set()
        self.count: dict[int, int] = defaultdict(int)
        self.tables_used: dict[int, set[int]] = defaultdict(set)
        self.pairs_met: set[tuple[int, int]] = set()
        self.meetings: list[Meeting] = []

    def free_slots(self, a: int, b: int) -> list[int]:
        """Slots, in time order, where a and b are both available and idle and a table is free."""
        pa, pb = self.participants[a], self.participants[b]
        return [
            slot
            for slot in self.instance.slots
            if slot in pa.available
            and slot in pb.available
            and (a, slot) not in self.busy
            and (b, slot) not in self.busy
            and len(self.tables_used[slot]) < self.instance.tables
        ]

    def has_room(self, a: int, b: int) -> bool:
        return (
            pair_key(a, b) not in self.pairs_met
            and self.count[a] < self.participants[a].max_meetings
            and self.count[b] < self.participants[b].max_meetings
        )

    def free_table(self, slot: int) -> int:
        used = self.tables_used[slot]
        return next(t for t in range(1, self.instance.tables + 1) if t not in used)

    def place(self, meeting: Meeting) -> None:
        self.busy.update({(meeting.a, meeting.slot), (meeting.b, meeting.slot)})
        self.count[meeting.a] += 1
        self.count[meeting.b] += 1
        self.tables_used[meeting.slot].add(meeting.table)
        self.pairs_met.add(pair_key(meeting.a, meeting.b))
        self.meetings.append(meeting)

    def try_book_earliest(self, pair: Pair) -> Meeting | None:
        if not self.has_room(pair.a, pair.b):
            return None
        slots = self.free_slots(pair.a, pair.b)
        if not slots:
            return None
        meeting = Meeting(pair.a, pair.b, slots[0], self.free_table(slots[0]))
        self.place(meeting)
        return meeting


def schedule_violations(instance: Instance, meetings: list[Meeting]) -> list[str]:
    """Every broken hard rule of a schedule, in words (empty when it is valid). Locked
    meetings must be among `meetings`, unchanged."""
    problems: list[str] = []
    participants = {p.id: p for p in instance.participants}
    allowed = {pair_key(p.a, p.b) for p in instance.pairs} | {
        pair_key(m.a, m.b) for m in instance.locked
    }
    seen_seats: set[tuple[int, int]] = set()
    seen_tables: set[tuple[int, int]] = set()
    seen_pairs: set[tuple[int, int]] = set()
    count: dict[int, int] = defaultdict(int)
    for m in meetings:
        key = pair_key(m.a, m.b)
        if m.a == m.b or key not in allowed:
            problems.append(f"{m}: not a candidate pair")
        if key in seen_pairs:
            problems.append(f"{m}: pair meets twice")
        seen_pairs.add(key)
        if not 1 <= m.table <= instance.tables:
            problems.append(f"{m}: no such table")
        if (m.slot, m.table) in seen_tables:
            problems.append(f"{m}: table taken")
        seen_tables.add((m.slot, m.table))
        for person in (m.a, m.b):
            if m.slot not in participants[person].available:
                problems.append(f"{m}: {person} not available")
            if (person, m.slot) in seen_seats:
                problems.append(f"{m}: {person} in two places")
            seen_seats.add((person, m.slot))
            count[person] += 1
    for person, n in count.items():
        if n > participants[person].max_meetings:
            problems.append(
                f"participant {person}: {n} meetings > {participants[person].max_meetings}"
            )
    missing_locked = set(instance.locked) - set(meetings)
    problems.extend(f"{m}: locked meeting moved or dropped" for m in missing_locked)
    return problems


def schedule_score(instance: Instance, meetings: list[Meeting]) -> float:
    scores = {pair_key(p.a, p.b): p.score for p in instance.pairs}
    return sum(scores.get(pair_key(m.a, m.b), 0.0) for m in meetings)


def min_meetings(instance: Instance, meetings: list[Meeting], kinds: frozenset[str]) -> int:
    """The fewest meetings any participant of these kinds has (the fairness figure)."""
    count: dict[int, int] = defaultdict(int)
    for m in meetings:
        count[m.a] += 1
        count[m.b] += 1
    counts = [count[p.id] for p in instance.participants if p.kind in kinds]
    return min(counts, default=0)
