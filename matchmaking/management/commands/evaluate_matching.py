"""Measure the matcher on a labelled set (format: shared/data/README.md).

    python manage.py evaluate_matching /path/to/set

    python manage.py evaluate_matching /path/to/set --reverse

prints exactly three lines, `matcher`, `bm25` and `dense` (the English encoder alone):
`NAME recall@10=… nDCG@10=… MRR=… needs=N`. Nothing is stored in the database; candidate
vectors are cached under .cache/vectors/ (keyed by encoder name and text hash), so only
the first run on a set pays for encoding. Progress goes to stderr. With --reverse, every
candidate that has a relevant need ranks the set's needs (what a capability owner sees),
scored against the same pairs reversed; the three lines keep their names.

    python manage.py evaluate_matching /path/to/org-dev --organisations [--folds 5]

ranks the other candidates for every query organisation with the site's organisation
ranking (collaboration network + text, matchmaking/network/) and prints `matcher`, `bm25`,
`dense`, `graph` (Adamic-Adar alone) and `coverage top1pct_share=S gold_share=G`; with
--folds K, also `held-out matcher …`: network weights fitted on the other folds.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchmaking import ranking
from matchmaking.embedding import OFF
from matchmaking.evaluation import DEFAULT_CACHE_DIR, evaluate_set, load_labelled_set
from matchmaking.network.evaluation import evaluate_organisations


def encoders_from_settings() -> dict[str, str]:
    """{family: encoder name} of the configured encoders; the English one is required."""
    english = settings.EMBEDDING_MODEL
    if not english or english == OFF:
        raise CommandError("EMBEDDING_MODEL is off: the dense baseline needs it")
    encoders = {ranking.ENGLISH: english}
    multilingual = settings.MULTILINGUAL_EMBEDDING_MODEL
    if multilingual and multilingual != OFF:
        encoders[ranking.MULTILINGUAL] = multilingual
    return encoders


class Command(BaseCommand):
    help = "Rank every candidate for every need of a labelled set and print recall, nDCG, MRR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", help="folder with needs.jsonl, candidates.jsonl, qrels.jsonl"
        )
        parser.add_argument(
            "--cache-dir",
            default=str(DEFAULT_CACHE_DIR),
            help="where candidate vectors are cached (default: .cache/vectors)",
        )
        parser.add_argument(
            "--reverse",
            action="store_true",
            help="rank needs for each candidate with a relevant need instead",
        )
        parser.add_argument(
            "--organisations",
            action="store_true",
            help="queries are organisations: rank new partners with the collaboration network",
        )
        parser.add_argument(
            "--folds",
            type=int,
            default=0,
            help="with --organisations: also print the matcher with weights fitted held out",
        )

    def handle(self, *args, **options) -> None:
        folder = Path(options["directory"])
        for name in ("needs.jsonl", "candidates.jsonl", "qrels.jsonl"):
            if not (folder / name).is_file():
                raise CommandError(f"{folder}: {name} is missing")
        encoders = encoders_from_settings()
        try:
            labelled = load_labelled_set(folder)
        except (ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        if options["organisations"]:
            self._organisations(labelled, Path(options["cache_dir"]), encoders, options["folds"])
            return
        results = evaluate_set(
            labelled,
            cache_dir=Path(options["cache_dir"]),
            encoders=encoders,
            reverse=options["reverse"],
        )
        for name, metrics in results.items():
            self.stdout.write(metrics.line(name))

    def _organisations(self, labelled, cache_dir: Path, encoders: dict, folds: int) -> None:
        if folds == 1 or folds < 0:
            raise CommandError("--folds needs at least 2 folds")
        results, coverage, held_out = evaluate_organisations(
            labelled, cache_dir=cache_dir, encoders=encoders, folds=folds
        )
        for name, metrics in results.items():
            self.stdout.write(metrics.line(name))
        self.stdout.write(coverage.line())
        if held_out is not None:
            self.stdout.write(held_out.line(f"held-out({folds} folds) matcher"))
