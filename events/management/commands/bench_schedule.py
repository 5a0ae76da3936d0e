"""Schedules a random realistic brokerage with the site's optimiser and with the
first-come-first-served baseline, and prints one line for each (the issue's format)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.scheduling.board import min_meetings, schedule_violations
from events.scheduling.greedy import schedule_greedy
from events.scheduling.instances import instance_as_json, random_instance, schedule_as_json
from events.scheduling.optimiser import schedule_optimal
from events.scheduling.types import FAIRNESS_KINDS, Instance, Schedule


class Command(BaseCommand):
    help = "Benchmark the meeting scheduler against first-come-first-served on a random event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=500)
        parser.add_argument("--slots", type=int, default=16)
        parser.add_argument("--tables", type=int, default=40)
        parser.add_argument("--pairs", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--time-limit", type=float, default=15.0, help="optimiser seconds")
        parser.add_argument("--out", type=Path, help="write instance.json and schedule.json here")

    def handle(self, *args, **options) -> None:
        for name, least in (("participants", 2), ("slots", 1), ("tables", 1), ("pairs", 0)):
            if options[name] < least:
                raise CommandError(f"--{name} must be at least {least}.")
        if options["time_limit"] <= 0:
            raise CommandError("--time-limit must be positive.")
        instance = random_instance(
            participants=options["participants"],
            slots=options["slots"],
            tables=options["tables"],
            pairs=options["pairs"],
            seed=options["seed"],
        )
        optimised = schedule_optimal(instance, time_limit=options["time_limit"])
        greedy = schedule_greedy(instance, seed=options["seed"])
        for name, schedule in (("schedule", optimised), ("greedy", greedy)):
            problems = schedule_violations(instance, schedule.meetings)
            if problems:
                self.stderr.write(f"{name}: {len(problems)} violations, e.g. {problems[0]}")
            if schedule.unscheduled_required:
                self.stderr.write(
                    f"{name}: {len(schedule.unscheduled_required)} accepted requests unscheduled"
                )
            self.stdout.write(self._line(name, instance, schedule, optimised.bound))
        if options["out"]:
            options["out"].mkdir(parents=True, exist_ok=True)
            (options["out"] / "instance.json").write_text(json.dumps(instance_as_json(instance)))
            (options["out"] / "schedule.json").write_text(json.dumps(schedule_as_json(optimised)))

    def _line(self, name: str, instance: Instance, schedule: Schedule, bound: float) -> str:
        ratio = schedule.score / bound if bound else 1.0
        return (
            f"{name} participants={len(instance.participants)} pairs={len(instance.pairs)} "
            f"meetings={len(schedule.meetings)} score={schedule.score:.3f} bound={bound:.3f} "
            f"ratio={ratio:.4f} seconds={schedule.seconds:.2f} "
            f"min_sme_meetings={min_meetings(instance, schedule.meetings, FAIRNESS_KINDS)}"
        )
