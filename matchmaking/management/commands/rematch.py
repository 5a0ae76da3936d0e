"""Re-rank the match store after a change of weights or encoders.

`rematch --stale` (the default) ranks every source whose stored list is missing or was
computed by another engine version (matchmaking.suggestions.store.match_version: weights,
encoders, engine revision); `rematch --all` ranks every source again. Needs come first,
then capabilities, then organisations. Sources are ranked here, in this process, with a
progress bar; `--enqueue` sends one Celery task per batch to the workers instead.
"""

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from matchmaking.suggestions.store import match_version, matches_refresh, stale_sources
from matchmaking.tasks import matches_refresh_batch


class Command(BaseCommand):
    help = "Rank stale (--stale, default) or all (--all) suggestion lists into the match store."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--stale", action="store_true", help="only stale lists (default)")
        which.add_argument("--all", action="store_true", help="every list, stale or not")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue one Celery task per batch instead of ranking in this process",
        )

    def handle(self, *args, **options) -> None:
        work = list(stale_sources(every=options["all"]))
        total = sum(len(ids) for _kind, ids in work)
        rows = 0
        with tqdm(total=total, unit="source", disable=total == 0) as progress:
            for kind, ids in work:
                progress.set_description(kind)
                if options["enqueue"]:
                    matches_refresh_batch.delay(kind, ids)
                else:
                    rows += matches_refresh(kind=kind, ids=ids)
                progress.update(len(ids))
        done = "queued" if options["enqueue"] else f"ranked ({rows} matches stored)"
        self.stdout.write(f"{total} sources {done}, version {match_version()}.")
