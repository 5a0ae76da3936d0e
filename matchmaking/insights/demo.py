"""Suggestions shown for the demo world (`manage.py seed_demo`), so that the dashboard's
first chart is not empty on `make run`: six months of counters, growing as a new
platform's use does, per country and region of the demo organisations. Made up, and
marked so in the seed's report; idempotent (skipped once any counter exists)."""

from collections import Counter
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Organisation
from matchmaking.insights.models import SuggestionsShown

MONTHS = 6
# Suggestions an organisation's members see per month and list, in the first month;
# each later month adds as many again.
PER_ORGANISATION = 6


def _month_start(today: date, months_back: int) -> date:
    day = today.replace(day=1)
    for _ in range(months_back):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def seed_suggestions_shown() -> Counter[str]:
    tally: Counter[str] = Counter()
    if SuggestionsShown.objects.exists():
        tally["suggestions_shown_existing"] = SuggestionsShown.objects.count()
        return tally
    areas = Counter(
        (country, region or "")
        for country, region in Organisation.objects.values_list("country", "region_id")
    )
    today = timezone.localdate()
    rows = [
        SuggestionsShown(
            day=_month_start(today, months_back),
            kind=kind,
            country=country,
            region=region,
            shown=PER_ORGANISATION * organisations * (MONTHS - months_back),
        )
        for months_back in range(MONTHS)
        for (country, region), organisations in areas.items()
        for kind in ("need", "organisation")
    ]
    SuggestionsShown.objects.bulk_create(rows)
    tally["suggestions_shown_created"] = sum(row.shown for row in rows)
    return tally
