"""The dashboard's one write: counting suggestions as they are shown."""

from django.db import connection
from django.utils import timezone

from matchmaking.kinds import Item, item_kind, item_organisation_id


def suggestions_shown_record(*, source: Item, count: int) -> None:
    """Add `count` suggestions shown for `source` (a need, capability or organisation) to
    today's counter of its organisation's country and region: one statement, whatever the
    count, and none when nothing was shown. What counts as shown: every suggestion card of
    a list page or a posting's panel, and every row a suggestions API call returns."""
    if count <= 0:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO insights_suggestionsshown (day, kind, country, region, shown) "
            "SELECT %s, %s, country, COALESCE(region_id, ''), %s "
            "FROM accounts_organisation WHERE id = %s "
            "ON CONFLICT (day, kind, country, region) "
            "DO UPDATE SET shown = insights_suggestionsshown.shown + EXCLUDED.shown",
            [timezone.localdate(), item_kind(source), count, item_organisation_id(source)],
        )
