"""Re-embed needs, capabilities and organisations after a text or model change.

`embed --stale` embeds what has no vectors yet or whose text hash no longer matches, for
every active encoder (after switching EMBEDDING_MODEL, everything is stale for the new
one). `embed --all` re-embeds everything, e.g. after a statement-splitting change. Both
build each active encoder's HNSW index if it is missing, after loading, which is faster
than filling an existing index row by row.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from matchmaking.embedding import active_encoder_names, encoder_by_name
from matchmaking.embedding_service import (
    embeddings_refresh_many,
    embeddings_stale,
)
from matchmaking.kinds import KINDS, MODELS
from matchmaking.vectors import hnsw_index_drop, hnsw_index_ensure, hnsw_index_exists


class Command(BaseCommand):
    help = "Embed stale (--stale) or all (--all) needs, capabilities and organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--stale", action="store_true", help="only what is stale")
        which.add_argument("--all", action="store_true", help="everything, stale or not")
        parser.add_argument(
            "--kind",
            action="append",
            choices=KINDS,
            help="owner kind to embed; repeat for several (default: all kinds)",
        )
        parser.add_argument(
            "--encoder",
            action="append",
            help="encoder name; repeat for several (default: the active encoders)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=128, help="owners per encode call and transaction"
        )
        parser.add_argument(
            "--rebuild-index",
            action="store_true",
            help="with --all: drop each encoder's HNSW index first and build it after loading "
            "(faster for large tables; searches scan the table meanwhile)",
        )

    def handle(self, *args, **options) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        encoders = options["encoder"] or active_encoder_names()
        if not encoders:
            raise CommandError(
                "No active encoder: EMBEDDING_MODEL and the multilingual one are off."
            )
        kinds = options["kind"] or list(KINDS)
        force = options["all"]
        if force and options["rebuild_index"]:
            for name in encoders:
                hnsw_index_drop(name)

        work: list[tuple[str, list[int]]] = []
        for kind in kinds:
            if force:
                ids = list(MODELS[kind].objects.order_by("id").values_list("id", flat=True))
            else:
                ids = [i for batch in embeddings_stale(kind=kind, encoders=encoders) for i in batch]
            work.append((kind, ids))
        total = sum(len(ids) for _, ids in work)

        encoded = 0
        with tqdm(total=total, unit="owner", disable=total == 0) as progress:
            for kind, ids in work:
                progress.set_description(kind)
                for start in range(0, len(ids), options["batch_size"]):
                    batch = ids[start : start + options["batch_size"]]
                    encoded += embeddings_refresh_many(
                        kind=kind, ids=batch, encoders=encoders, force=force
                    )
                    progress.update(len(batch))

        # Loading a model only to learn its dimension costs seconds: skip encoders whose
        # index already exists.
        built = [
            name
            for name in encoders
            if not hnsw_index_exists(name)
            and hnsw_index_ensure(encoder=name, dim=encoder_by_name(name).dim)
        ]
        self.stdout.write(
            f"Embedded {total} owners ({encoded} texts encoded) with {', '.join(encoders)}."
        )
        if built:
            self.stdout.write(f"Built HNSW index for {', '.join(built)}.")
