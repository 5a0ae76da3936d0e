"""Replay logged feedback with and without the collaboration ranking signal
(matchmaking/collaboration/replay.py). Prints the figures, or why they cannot be measured."""

from django.core.management.base import BaseCommand

from matchmaking import ranking
from matchmaking.collaboration.replay import replay_logged_feedback


class Command(BaseCommand):
    help = "Pairwise accuracy of logged verdicts with and without the collaboration signal."

    def handle(self, *args, **options) -> None:
        weight = ranking.WEIGHTS.collaboration
        result = replay_logged_feedback(weight=weight)
        self.stdout.write(
            f"logged verdicts={result.verdicts} sources with a positive and a dismissal="
            f"{result.sources} pairs={result.pairs}"
        )
        if not result.measurable:
            self.stdout.write(
                "not measurable: no source has both a positive verdict and a dismissal"
            )
            return
        self.stdout.write(
            f"without collaboration signal: pairwise accuracy={result.accuracy_without:.3f}"
        )
        self.stdout.write(
            f"with collaboration signal (weight {weight}): pairwise accuracy="
            f"{result.accuracy_with:.3f}"
        )
