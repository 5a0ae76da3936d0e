"""Choose the ranking weights by K-fold cross-validation over needs.

    python manage.py tune_matching /path/to/dev /path/to/dev-de --folds 5

Sets that share need ids (dev and its German twin dev-de) are split by need id, so a
need's two texts are always held out together; the weights are fitted on the mean nDCG@10
of all sets given. Prints, per set, the figure with today's ranking.WEIGHTS, the held-out
figure (each need scored by weights chosen without it), the in-sample figure of the weights
chosen on all needs, and the standard error of a mean over that many needs; then the
weights chosen in each fold and on all needs. Nothing is written: the chosen weights are
copied into ranking.WEIGHTS by hand, with the figures into docs/matching.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchmaking.evaluation import DEFAULT_CACHE_DIR, load_labelled_set, set_signals
from matchmaking.management.commands.evaluate_matching import encoders_from_settings
from matchmaking.tuning import cross_validate, design_of, weights_source


class Command(BaseCommand):
    help = "Choose ranking weights by cross-validation over needs; print held-out nDCG@10."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directories", nargs="+", help="labelled sets (same candidates)")
        parser.add_argument("--folds", type=int, default=5, help="K of K-fold (default 5)")
        parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR))

    def handle(self, *args, **options) -> None:
        if options["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        encoders = encoders_from_settings()
        designs = []
        for directory in options["directories"]:
            try:
                labelled = load_labelled_set(Path(directory))
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(f"{directory}: {error}") from error
            signals = set_signals(
                labelled, cache_dir=Path(options["cache_dir"]), encoders=encoders, partners=True
            )
            designs.append(design_of(labelled, signals))
        result = cross_validate(designs, options["folds"])
        for design in designs:
            name = design.name
            self.stdout.write(
                f"{name} nDCG@10 current={result.fixed[name]:.3f} "
                f"held-out={result.held_out[name]:.3f} in-sample={result.in_sample[name]:.3f} "
                f"noise=±{result.noise[name]:.3f} needs={len(design.need_ids)}"
            )
        for fold, weights in enumerate(result.fold_weights, start=1):
            self.stdout.write(f"fold {fold}: {weights_source(weights)}")
        self.stdout.write(f"all needs: {weights_source(result.weights)}")
