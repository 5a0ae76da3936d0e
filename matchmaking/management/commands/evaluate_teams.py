"""Measure the team builder on the real consortia of a labelled set.

    python manage.py evaluate_teams /path/to/set

prints exactly two lines: `teams recall=R needs=N` (share of a consortium's other members
that the team builder proposes around its coordinator) and `topk recall=R needs=N` (the
same share for the matcher's text top-k of the same size); with `--folds K` a third line, the
teams recall held out. See matchmaking/teams/evaluation.py.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchmaking.evaluation import DEFAULT_CACHE_DIR, load_labelled_set
from matchmaking.management.commands.evaluate_matching import encoders_from_settings
from matchmaking.teams.evaluation import evaluate_teams


class Command(BaseCommand):
    help = "Propose consortia around real coordinators and print the recall of their members."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", help="folder with needs.jsonl, candidates.jsonl, qrels.jsonl"
        )
        parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR))
        parser.add_argument(
            "--folds",
            type=int,
            default=0,
            help="also print the teams recall with the bond weights fitted without "
            "each of K folds of needs (held out)",
        )

    def handle(self, *args, **options) -> None:
        folder = Path(options["directory"])
        for name in ("needs.jsonl", "candidates.jsonl", "qrels.jsonl"):
            if not (folder / name).is_file():
                raise CommandError(f"{folder}: {name} is missing")
        try:
            labelled = load_labelled_set(folder)
        except (ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        if options["folds"] == 1 or options["folds"] < 0:
            raise CommandError("--folds: give 0 (none) or at least 2")
        result = evaluate_teams(
            labelled,
            encoders=encoders_from_settings(),
            cache_dir=Path(options["cache_dir"]),
            folds=options["folds"],
        )
        self.stdout.write(f"teams recall={result.teams:.3f} needs={result.needs}")
        self.stdout.write(f"topk recall={result.topk:.3f} needs={result.needs}")
        if result.held_out is not None:
            self.stdout.write(
                f"held-out({options['folds']} folds) teams recall={result.held_out:.3f} "
                f"needs={result.needs}"
            )
