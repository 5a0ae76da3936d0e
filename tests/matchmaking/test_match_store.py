"""The match store: stored lists equal on-request ranking, saves refresh exactly the
affected lists, per-reader filters apply at read time, pending pages load no model."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import Visibility
from matchmaking import services
from matchmaking.embedding import encoder_by_name
from matchmaking.models import Match, MatchSource, Posting
from matchmaking.network.models import PastProject
from matchmaking.network.services import past_project_create
from matchmaking.suggestions import (
    engine,
    match_scores,
    matches_for,
    matches_pending,
    organisation_suggestion_list,
    suggestion_list_for_capability,
    suggestions_for_need,
)
from matchmaking.suggestions.feedback import suggestion_dismiss, suggestion_save
from matchmaking.suggestions.store import match_version, matches_explain, matches_refresh
from matchmaking.tasks import (
    affected_matches_refresh,
    matches_catch_up,
    matches_refresh_batch,
    posting_match,
)
from tests.factories import (
    CapabilityFactory,
    MembershipFactory,
    NeedFactory,
    OrganisationFactory,
)
from tests.matchmaking.suggestion_world import (
    LOGISTICS_CAPABILITY,
    VISION_CAPABILITY,
    WELD_NEED,
    embed,
    member_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("encoders")]


def shown(suggestions) -> list[tuple]:
    """What a user reads of a list: order, targets, scores, reasons, sentence pairs."""
    return [
        (
            s.rank,
            s.kind,
            s.target.id,
            round(s.score, 6),
            list(s.reasons),
            s.sentence_pair,
            [(t.code, t.label) for t in s.shared_techniques],
            [(p.source.id, p.target.id) for p in s.via],
            s.strength,
            [(i.via.id, i.ours, i.theirs) for i in s.introductions],
            s.worked_before,
        )
        for s in suggestions
    ]


@pytest.fixture
def bakery_need(world):
    """A route-planning need of another SME, so capabilities have more than one need."""
    need = NeedFactory(
        title="Plan delivery routes for our bakery vans",
        description="Our vans deliver bread to 80 shops; we want optimised daily routes.",
        trl=7,
    )
    embed(need)
    return need


def test_stored_need_list_equals_on_request_ranking(world, alice):
    stored = suggestions_for_need(need=world["need"], user=alice, limit=20, organisation_limit=20)
    computed = engine.suggestions_for_need(
        need=world["need"], user=alice, limit=20, organisation_limit=20
    )
    assert shown(stored.capabilities) == shown(computed.capabilities)
    assert shown(stored.organisations) == shown(computed.organisations)
    assert stored.capabilities[0].target == world["vision"]


def test_stored_capability_and_organisation_lists_equal_on_request_ranking(
    world, alice, bakery_need
):
    member = member_of(world["institute"], "vision@example.org")
    assert shown(
        suggestion_list_for_capability(capability=world["vision"], user=member, limit=20)
    ) == shown(
        engine.suggestion_list_for_capability(capability=world["vision"], user=member, limit=20)
    )
    assert shown(
        organisation_suggestion_list(organisation=world["institute"], user=member, limit=20)
    ) == shown(
        engine.organisation_suggestion_list(organisation=world["institute"], user=member, limit=20)
    )


def test_reasons_are_written_in_the_readers_language(world, alice):
    with translation.override("de"):
        stored = suggestions_for_need(need=world["need"], user=alice).capabilities[0]
        computed = engine.suggestions_for_need(need=world["need"], user=alice).capabilities[0]
    assert stored.reasons == computed.reasons
    assert any("Technologiereife" in reason or "TRL" in reason for reason in stored.reasons)


def test_saved_capability_lifts_look_alikes_as_on_request(world, alice, sme):
    similar = CapabilityFactory(
        organisation=world["institute"],
        title="Surface crack detection for castings",
        description="Deep learning finds cracks in camera images of castings.",
        techniques=["computer_vision"],
        domains=["manufacturing_quality"],
    )
    embed(similar)
    suggestion_save(user=alice, source=world["need"], target=world["vision"])
    stored = suggestions_for_need(need=world["need"], user=alice, limit=20).capabilities
    computed = engine.suggestions_for_need(need=world["need"], user=alice, limit=20).capabilities
    assert shown(stored) == shown(computed)
    assert any(c.signal == "feedback" and c.points > 0 for c in stored[0].contributions)


@pytest.fixture
def common_partner(world, sme):
    """sme and the vision institute both worked with one partner: a warm introduction."""
    partner = OrganisationFactory(name="Common Partner")
    past_project_create(
        organisation=sme, title="Line", acronym="LINE", year=2021, partners=[partner]
    )
    theirs = past_project_create(
        organisation=partner,
        title="Cameras",
        acronym="CAM",
        year=2020,
        partners=[world["institute"]],
    )
    matches_refresh(kind="need", ids=[world["need"].id])
    return partner, theirs


def institute_suggestion(world, user):
    organisations = suggestions_for_need(
        need=world["need"], user=user, organisation_limit=20
    ).organisations
    return next(s for s in organisations if s.target == world["institute"])


def test_stored_need_organisations_carry_the_network_as_on_request(world, alice, common_partner):
    partner, _theirs = common_partner
    stored = suggestions_for_need(need=world["need"], user=alice, organisation_limit=20)
    computed = engine.suggestions_for_need(need=world["need"], user=alice, organisation_limit=20)
    assert shown(stored.organisations) == shown(computed.organisations)
    institute = institute_suggestion(world, alice)
    assert [i.via for i in institute.introductions] == [partner]
    assert institute.reasons[0].startswith("You both worked with Common Partner")
    with translation.override("de"):
        stored = suggestions_for_need(need=world["need"], user=alice, organisation_limit=20)
        computed = engine.suggestions_for_need(
            need=world["need"], user=alice, organisation_limit=20
        )
        assert shown(stored.organisations) == shown(computed.organisations)


def test_a_hidden_partner_or_project_leaves_stored_introductions_at_once(
    world, alice, common_partner
):
    """Read time, before any refresh: nobody is introduced through what became hidden."""
    partner, theirs = common_partner
    PastProject.objects.filter(id=theirs.id).update(hidden=True)
    assert institute_suggestion(world, alice).introductions == []
    PastProject.objects.filter(id=theirs.id).update(hidden=False)
    assert institute_suggestion(world, alice).introductions != []
    partner.visibility = Visibility.HIDDEN
    partner.save()
    suggestion = institute_suggestion(world, alice)
    assert suggestion.introductions == []
    assert not any("Common Partner" in reason for reason in suggestion.reasons)


def test_a_recorded_project_re_ranks_the_need_lists_it_reaches(
    world, sme, django_capture_on_commit_callbacks
):
    before = computed_at()
    partner = OrganisationFactory(name="Late Partner")
    with django_capture_on_commit_callbacks(execute=True):
        past_project_create(organisation=partner, title="T", acronym="T", year=2022, partners=[sme])
    after = computed_at()
    assert after[("need", world["need"].id)] != before[("need", world["need"].id)]
    assert after[("capability", world["vision"].id)] == before[("capability", world["vision"].id)]


def test_a_list_ranked_before_its_sentence_pairs_gets_the_same_ones_after(world, alice):
    """A saved posting's own list is readable before its sentence pairs are encoded
    (posting_match), and `matches_explain` then stores exactly what a full ranking does."""

    def read():
        found = suggestions_for_need(
            need=world["need"], user=alice, limit=20, organisation_limit=20
        )
        return [(shown([s]), [p.sentence_pair for p in s.via]) for s in found]

    full = read()
    assert any(s.sentence_pair for s in suggestions_for_need(need=world["need"], user=alice))
    matches_refresh(kind="need", ids=[world["need"].id], explain=False)
    assert not any(s.sentence_pair for s in suggestions_for_need(need=world["need"], user=alice))
    matches_explain(kind="need", source_id=world["need"].id)
    assert read() == full


def test_a_saved_postings_own_list_is_served_before_background_refreshes():
    """Real Redis: the lists a saved posting may enter are queued at background priority,
    so a worker takes the next posting's own list first, even when queued later."""
    from celery import current_app
    from kombu import Connection

    url, queue = "redis://127.0.0.1:6379/13", "w10-priority-test"
    with Connection(url) as connection:
        simple = connection.SimpleQueue(queue)
        simple.clear()
        for task, args in (
            (affected_matches_refresh, ("need", 1)),
            (matches_refresh_batch, ("capability", [1])),
            (posting_match, ("need", 2)),
        ):
            current_app.send_task(
                task.name,
                args=args,
                queue=queue,
                priority=task.priority,
                connection=connection,
            )
        first = simple.get(timeout=2)
        first.ack()
        order = [first.headers["task"]]
        for _ in range(2):
            message = simple.get(timeout=2)
            message.ack()
            order.append(message.headers["task"])
        simple.close()
    assert order[0] == posting_match.name
    assert set(order[1:]) == {affected_matches_refresh.name, matches_refresh_batch.name}


def computed_at() -> dict[tuple[str, int], object]:
    return {
        (kind, source_id): when
        for kind, source_id, when in MatchSource.objects.values_list(
            "kind", "source_id", "computed_at"
        )
    }


def test_changed_text_refreshes_exactly_the_affected_lists(
    world, alice, django_capture_on_commit_callbacks
):
    institute_need = NeedFactory(
        organisation=world["institute"],
        title="Annotated weld seam images",
        description="We need annotated camera images of weld seams for training.",
        trl=3,
    )
    embed(institute_need)
    before = computed_at()
    member = member_of(world["institute"], "vision@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.capability_update(
            capability=world["vision"],
            actor=member,
            description=VISION_CAPABILITY["description"] + " We also inspect solder joints.",
        )
        # Dropped at once, before any worker: the list was ranked for the old text.
        assert matches_pending(source=world["vision"])
    refreshed = {key for key, when in computed_at().items() if before.get(key) != when}
    # Its own list, the weld need of another organisation that can list it, and the
    # partner lists of the organisations concerned; never its own organisation's need
    # (an organisation is never suggested its own offers) nor the other capabilities.
    assert ("capability", world["vision"].id) in refreshed
    assert ("need", world["need"].id) in refreshed
    assert ("need", institute_need.id) not in refreshed
    assert ("capability", world["logistics"].id) not in refreshed
    assert ("capability", world["speech"].id) not in refreshed
    assert not matches_pending(source=world["vision"])


def test_hidden_closed_and_deleted_capabilities_vanish_at_once(world, alice, bob):
    vision, logistics, speech = world["vision"], world["logistics"], world["speech"]
    vision.visibility = Visibility.HIDDEN
    vision.save()
    logistics.status = Posting.Status.CLOSED
    logistics.save()
    speech.delete()
    for user in (alice, bob):
        assert suggestions_for_need(need=world["need"], user=user).capabilities == []
    # The rows are still stored until the background refresh: hiding happens at read time.
    assert Match.objects.filter(target_kind="capability").exists()


def test_a_hidden_organisation_vanishes_with_its_postings(world, alice):
    world["institute"].visibility = Visibility.HIDDEN
    world["institute"].save()
    found = suggestions_for_need(need=world["need"], user=alice)
    assert world["vision"] not in [s.target for s in found.capabilities]
    assert world["institute"] not in [s.target for s in found.organisations]


def test_deleting_a_posting_removes_its_rows(world, alice):
    member = member_of(world["institute"], "vision@example.org")
    vision_id = world["vision"].id
    services.posting_delete(posting=world["vision"], actor=member)
    assert not Match.objects.filter(target_kind="capability", target_id=vision_id).exists()
    assert not Match.objects.filter(source_kind="capability", source_id=vision_id).exists()


def test_dismissals_stay_per_user(world, alice, bob):
    suggestion_dismiss(user=alice, source=world["need"], target=world["vision"])
    assert world["vision"] not in [
        s.target for s in suggestions_for_need(need=world["need"], user=alice).capabilities
    ]
    assert (
        suggestions_for_need(need=world["need"], user=bob).capabilities[0].target == world["vision"]
    )


def test_a_member_of_the_target_organisation_never_sees_it_suggested(world, alice):
    MembershipFactory(user=alice, organisation=world["institute"])
    targets = [s.target for s in suggestions_for_need(need=world["need"], user=alice)]
    assert world["vision"] not in targets


def test_pending_page_renders_without_loading_a_model(client, alice, sme):
    need = NeedFactory(organisation=sme, **WELD_NEED)
    client.force_login(alice)
    asked = encoder_by_name.cache_info()
    page = client.get(reverse("matchmaking:need_detail", args=[need.id])).content.decode()
    api = client.get(reverse("api:need-suggestions", args=[need.id])).json()
    assert "Suggestions are being prepared" in page
    assert api["pending"] is True
    after = encoder_by_name.cache_info()
    assert (after.hits, after.misses) == (asked.hits, asked.misses)


def test_a_ranked_source_without_matches_is_not_pending(alice, sme):
    need = NeedFactory(organisation=sme, **WELD_NEED)
    matches_refresh(kind="need", ids=[need.id])
    assert not matches_pending(source=need)
    assert suggestions_for_need(need=need, user=alice).capabilities == []


def test_stored_page_reads_a_fixed_number_of_queries(
    world, alice, client, django_assert_max_num_queries
):
    more = [
        CapabilityFactory(
            organisation=world["institute"],
            title=f"{LOGISTICS_CAPABILITY['title']} {n}",
            description=LOGISTICS_CAPABILITY["description"],
        )
        for n in range(8)
    ]
    embed(*more)
    client.force_login(alice)
    url = reverse("suggestions:need", args=[world["need"].id])
    with django_assert_max_num_queries(STORED_PAGE_QUERIES):
        page = client.get(url)
    assert page.content.decode().count('data-testid="suggestion"') >= 10


# The full suggestion page of a need: session, user, transaction (2), access gate (need,
# membership, the reader's organisations), rows, the reader's organisations, exclusions,
# targets and via postings per kind (3), feedback, liked items, the upsert counting the
# suggestions shown. The collaboration network is stored with the rows. Must not grow with
# the number of suggestions.
STORED_PAGE_QUERIES = 16


def test_bulk_scores_for_other_features(world):
    scores = match_scores(
        source_kind="need", source_ids=[world["need"].id], target_kind="capability"
    )
    assert scores[(world["need"].id, world["vision"].id)] == max(scores.values())


def test_matches_for_defaults_to_the_first_suggested_kind(world, alice):
    assert [s.kind for s in matches_for(source=world["need"], viewer=alice)] == ["capability"] * 3


def test_rematch_stale_ranks_only_lists_of_another_version(world, capsys):
    MatchSource.objects.filter(kind="need", source_id=world["need"].id).update(version="old")
    untouched = MatchSource.objects.get(kind="capability", source_id=world["vision"].id)
    call_command("rematch", "--stale")
    assert "1 sources ranked" in capsys.readouterr().out
    assert MatchSource.objects.get(kind="need", source_id=world["need"].id).version == (
        match_version()
    )
    assert (
        MatchSource.objects.get(kind="capability", source_id=world["vision"].id).computed_at
        == untouched.computed_at
    )


def test_every_match_carries_the_engine_version(world):
    assert set(Match.objects.values_list("version", flat=True)) == {match_version()}


def test_catch_up_ranks_a_list_whose_tasks_were_lost(alice, sme):
    need = NeedFactory(organisation=sme, **WELD_NEED)
    assert matches_pending(source=need)
    matches_catch_up()
    assert not matches_pending(source=need)
