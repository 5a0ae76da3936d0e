"""With DATABASE_REPLICA_URL set, suggestion reads (the match store) go to the replica and
everything else, writes included, to the primary. The replica alias of the test settings
mirrors the test database, so both connections see the same rows; the test tells them
apart by the queries each connection ran."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking.models import Match, MatchSource, Need
from tests.matchmaking.suggestion_world import weld_world

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ROUTER = ["config.db_router.SuggestionReadRouter"]


def _touching(queries: CaptureQueriesContext, table: str) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if f'"{table}"' in query["sql"]]


def test_suggestion_reads_go_to_the_replica_and_the_rest_to_the_primary(
    settings, encoders, client, alice, sme
):
    world = weld_world(sme)  # embedded and ranked into the store, on the primary
    settings.DATABASE_ROUTERS = ROUTER
    client.force_login(alice)

    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        answer = client.get(reverse("api:need-suggestions", args=[world["need"].id]))

    assert answer.status_code == 200
    assert answer.json()["capabilities"]  # the rows were read, from the replica
    assert _touching(replica, "matchmaking_match")
    assert not _touching(primary, "matchmaking_match")
    assert not _touching(primary, "matchmaking_matchsource")
    assert _touching(primary, "matchmaking_need")  # the source, through the access gate


def test_store_writes_stay_on_the_primary(settings):
    settings.DATABASE_ROUTERS = ROUTER
    from django.db import router

    assert router.db_for_read(Match) == router.db_for_read(MatchSource) == "replica"
    assert router.db_for_read(Need) == "default"
    assert router.db_for_write(Match) == router.db_for_write(MatchSource) == "default"
    assert not router.allow_migrate("replica", "matchmaking")
