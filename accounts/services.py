"""Writes for users, organisations, memberships and invitations."""

import json
from pathlib import Path

from django.db import transaction

from accounts.models import Region

REGIONS_FILE = Path(__file__).resolve().parent / "data" / "nuts2.json"


@transaction.atomic
def region_sync_from_data() -> int:
    """Upsert the shipped NUTS-2 list. Runs after every migrate, so it must stay idempotent."""
    if not REGIONS_FILE.exists():
        return 0
    rows = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["regions"]
    for row in rows:
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "country": row["country"],
                "latitude": row["lat"],
                "longitude": row["lon"],
            },
        )
    return len(rows)
