"""The scheduler's rules on small events, each checked on the optimiser's own output."""

import json

from django.core.management import call_command

from events.scheduling.board import min_meetings, schedule_violations
from events.scheduling.greedy import schedule_greedy
from events.scheduling.instances import random_instance
from events.scheduling.optimiser import schedule_optimal
from events.scheduling.types import Instance, Meeting, Pair, Participant

FAST = 2.0


def person(pid: int, *, kind: str = "startup", slots=range(4), max_meetings: int = 4):
    return Participant(pid, kind, frozenset(slots), max_meetings)


def event(people, pairs, *, slots=4, tables=2, locked=(), target=0, days=None) -> Instance:
    return Instance(
        slots=tuple(range(slots)),
        tables=tables,
        participants=tuple(people),
        pairs=tuple(pairs),
        locked=tuple(locked),
        day_of_slot=days or {s: 0 for s in range(slots)},
        fairness_target=target,
    )


def solve(instance: Instance):
    schedule = schedule_optimal(instance, time_limit=FAST)
    assert schedule_violations(instance, schedule.meetings) == []
    return schedule


def test_nobody_is_in_two_places_at_once():
    star = [person(0)] + [person(i) for i in range(1, 4)]
    pairs = [Pair(0, i, 0.9) for i in range(1, 4)]
    schedule = solve(event(star, pairs, slots=3, tables=3))
    assert len(schedule.meetings) == 3
    assert len({m.slot for m in schedule.meetings}) == 3


def test_meetings_only_in_slots_both_marked_available():
    people = [person(0, slots=[0, 1]), person(1, slots=[1, 2])]
    schedule = solve(event(people, [Pair(0, 1, 0.5)]))
    assert [m.slot for m in schedule.meetings] == [1]


def test_pair_without_common_slot_is_not_scheduled():
    people = [person(0, slots=[0]), person(1, slots=[1])]
    assert solve(event(people, [Pair(0, 1, 0.9)])).meetings == []


def test_no_more_meetings_in_a_slot_than_tables():
    people = [person(i, slots=[0]) for i in range(6)]
    pairs = [Pair(0, 1, 0.9), Pair(2, 3, 0.8), Pair(4, 5, 0.7)]
    schedule = solve(event(people, pairs, slots=1, tables=2))
    assert sorted((m.a, m.b) for m in schedule.meetings) == [(0, 1), (2, 3)]
    assert sorted(m.table for m in schedule.meetings) == [1, 2]


def test_a_pair_meets_at_most_once():
    schedule = solve(event([person(0), person(1)], [Pair(0, 1, 1.0)]))
    assert len(schedule.meetings) == 1


def test_per_participant_maximum_holds():
    people = [person(0, max_meetings=2)] + [person(i) for i in range(1, 5)]
    pairs = [Pair(0, i, 0.9) for i in range(1, 5)]
    schedule = solve(event(people, pairs))
    assert len(schedule.meetings) == 2


def test_vetoed_or_declined_pair_absent_from_candidates_is_never_scheduled():
    # The site leaves vetoed, declined and met-before pairs out of `pairs`.
    people = [person(0), person(1), person(2)]
    schedule = solve(event(people, [Pair(0, 2, 0.2)]))
    assert {(m.a, m.b) for m in schedule.meetings} == {(0, 2)}


def test_required_pair_is_scheduled_before_a_better_one():
    # Person 0 can meet once: the accepted request wins over the higher-scored pair.
    people = [person(0, max_meetings=1), person(1), person(2)]
    pairs = [Pair(0, 1, 0.95), Pair(0, 2, 0.1, required=True)]
    schedule = solve(event(people, pairs))
    assert [(m.a, m.b) for m in schedule.meetings] == [(0, 2)]
    assert schedule.unscheduled_required == []


def test_impossible_required_pair_is_reported_not_fatal():
    people = [person(0, slots=[0]), person(1, slots=[1])]
    schedule = solve(event(people, [Pair(0, 1, 0.5, required=True)]))
    assert schedule.unscheduled_required == [Pair(0, 1, 0.5, required=True)]


def test_locked_meetings_never_move_and_count_against_capacity():
    people = [person(i, max_meetings=2) for i in range(4)]
    locked = Meeting(0, 1, 2, 1)
    pairs = [Pair(0, 1, 0.1), Pair(0, 2, 0.9), Pair(0, 3, 0.8), Pair(2, 3, 0.7)]
    schedule = solve(event(people, pairs, tables=1, locked=[locked]))
    assert locked in schedule.meetings
    assert sum(1 for m in schedule.meetings if 0 in (m.a, m.b)) == 2
    assert all(m.slot != 2 for m in schedule.meetings if m != locked)


def test_rerun_around_published_meetings_fills_only_free_slots():
    instance = random_instance(participants=30, slots=6, tables=5, pairs=120, seed=4)
    first = solve(instance)
    kept = first.meetings[: len(first.meetings) // 2]
    rerun_instance = event(
        instance.participants,
        instance.pairs,
        slots=6,
        tables=5,
        locked=kept,
        target=instance.fairness_target,
    )
    second = solve(rerun_instance)
    assert set(kept) <= set(second.meetings)


def test_compact_days_leave_no_idle_gap():
    # Both of person 0's meetings could be anywhere in four slots; back to back is preferred.
    people = [person(0), person(1, slots=[0, 1, 2, 3]), person(2, slots=[0, 1, 2, 3])]
    schedule = solve(event(people, [Pair(0, 1, 0.5), Pair(0, 2, 0.5)], tables=1))
    slots = sorted(m.slot for m in schedule.meetings)
    assert slots[1] - slots[0] == 1


def test_fairness_target_gives_every_sme_a_meeting():
    # One table, two slots: by score alone the SME (2) would get no meeting.
    people = [person(0), person(1), person(2, kind="sme"), person(3)]
    pairs = [Pair(0, 1, 0.6), Pair(0, 3, 0.55), Pair(2, 3, 0.3)]
    unfair = solve(event(people, pairs, slots=2, tables=1, target=0))
    fair = solve(event(people, pairs, slots=2, tables=1, target=1))
    assert (
        min_meetings(
            fair_event := event(people, pairs, slots=2, tables=1),
            unfair.meetings,
            frozenset({"sme"}),
        )
        == 0
    )
    assert min_meetings(fair_event, fair.meetings, frozenset({"sme"})) == 1


def test_bound_is_never_below_the_score_and_beats_greedy_here():
    instance = random_instance(participants=60, slots=8, tables=10, pairs=300, seed=2)
    schedule = solve(instance)
    greedy = schedule_greedy(instance, seed=2)
    assert schedule_violations(instance, greedy.meetings) == []
    assert schedule.score <= schedule.bound + 1e-6
    assert schedule.score > greedy.score


def test_bench_command_prints_both_lines_and_writes_checkable_json(tmp_path, capsys):
    call_command(
        "bench_schedule",
        "--participants=40",
        "--slots=6",
        "--tables=6",
        "--pairs=150",
        "--seed=5",
        "--time-limit=2",
        f"--out={tmp_path}",
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("schedule participants=40 pairs=150 meetings=")
    assert lines[1].startswith("greedy participants=40 pairs=150 meetings=")
    assert "min_sme_meetings=" in lines[0]
    instance = json.loads((tmp_path / "instance.json").read_text())
    schedule = json.loads((tmp_path / "schedule.json").read_text())
    assert set(instance) == {"slots", "tables", "participants", "pairs"}
    assert set(schedule["meetings"][0]) == {"a", "b", "slot", "table"}
    requested = {(p["a"], p["b"]) for p in instance["pairs"] if p["requested"]}
    assert requested <= {(m["a"], m["b"]) for m in schedule["meetings"]}
