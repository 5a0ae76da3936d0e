"""The public map of NUTS-2 regions and the regional programme managers' dashboard: counts
per region equal the marketplace's, and who may open what."""

import csv
import io
import re

import pytest
from django.urls import reverse

from accounts.models import ProgrammeManager, Region
from tests.factories import CapabilityFactory, NeedFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def organisation_in(code: str, **fields):
    region = Region.objects.get(code=code)
    return OrganisationFactory(
        region=region, country="DE" if code.startswith("DE") else "FR", **fields
    )


@pytest.fixture
def regional_world():
    """Stuttgart and Oberbayern with public, members-only, hidden and closed postings, an
    organisation without region, and a hidden organisation's public need."""
    stuttgart = organisation_in("DE11")
    munich = organisation_in("DE21")
    secret = organisation_in("DE21", visibility="hidden")
    NeedFactory.create_batch(2, organisation=stuttgart, techniques=["computer_vision"])
    NeedFactory(organisation=stuttgart, techniques=["nlp"])
    NeedFactory(organisation=stuttgart, visibility="members")
    NeedFactory(organisation=stuttgart, visibility="hidden")
    NeedFactory(organisation=stuttgart, status="closed")
    NeedFactory(organisation=munich, techniques=["computer_vision"])
    NeedFactory(organisation=secret)
    NeedFactory(organisation=OrganisationFactory(region=None))
    CapabilityFactory(organisation=munich, techniques=["nlp"])
    CapabilityFactory.create_batch(2, organisation=organisation_in("FR10"))
    return {"stuttgart": stuttgart, "munich": munich}


def map_counts(client, **query) -> dict[str, tuple[int, str]]:
    html = client.get(reverse("insights:map"), query).content.decode()
    return {
        code: (int(count), href.replace("&amp;", "&"))
        for href, code, count in re.findall(
            r'<a href="([^"]+)" aria-label="[^"]*" data-region="(\w+)" data-count="(\d+)"', html
        )
    }


def marketplace_count(client, href: str) -> int:
    return client.get(href).context["page"].paginator.count


@pytest.mark.parametrize(
    "query",
    [{}, {"show": "capabilities"}, {"technique": "computer_vision"}, {"technique": "nlp"}],
)
def test_map_counts_per_region_equal_the_marketplace_counts(client, regional_world, query):
    counts = map_counts(client, **query)

    assert counts, "the map links at least one region"
    for count, href in counts.values():
        assert marketplace_count(client, href) == count


def test_map_counts_only_open_public_postings(client, regional_world):
    counts = map_counts(client)

    assert {code: n for code, (n, _href) in counts.items()} == {"DE11": 3, "DE21": 1}


def test_map_filters_by_technique_and_switches_to_capabilities(client, regional_world):
    assert {c: n for c, (n, _h) in map_counts(client, technique="nlp").items()} == {"DE11": 1}
    capabilities = map_counts(client, show="capabilities")
    assert {c: n for c, (n, _h) in capabilities.items()} == {"DE21": 1, "FR10": 2}


def test_map_is_public_and_names_its_data_source(client):
    response = client.get(reverse("insights:map"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Eurostat GISCO" in html
    assert html.count("<path") > 250


def test_map_ignores_a_bad_filter_value(client, regional_world):
    response = client.get(reverse("insights:map"), {"show": "drop table", "technique": "x"})

    assert response.status_code == 200


# --- dashboard: permission matrix ----------------------------------------------------------


@pytest.fixture
def manager():
    user = UserFactory(email="manager@example.org")
    ProgrammeManager.objects.create(user=user, country="DE")
    return user


@pytest.fixture
def region_manager():
    user = UserFactory(email="stuttgart@example.org")
    ProgrammeManager.objects.create(user=user, region_id="DE11")
    return user


@pytest.mark.parametrize("url_name", ["insights:dashboard", "insights:export"])
def test_anonymous_visitor_is_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))

    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url_name", ["insights:dashboard", "insights:export"])
def test_member_without_the_role_is_refused(client, alice, url_name):
    client.force_login(alice)

    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("who", ["manager", "region_manager", "staff"])
@pytest.mark.parametrize("url_name", ["insights:dashboard", "insights:export"])
def test_programme_managers_and_staff_open_the_dashboard(client, request, who, url_name):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse(url_name)).status_code == 200


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def value_of(rows: list[dict], figure: str, label: str) -> int:
    return next(int(r["value"]) for r in rows if r["figure"] == figure and r["label"] == label)


def test_region_manager_sees_only_the_figures_of_the_region(client, regional_world, region_manager):
    client.force_login(region_manager)

    rows = csv_rows(client.get(reverse("insights:export")))

    # Two public and one members-only computer-vision need; not the hidden or closed one.
    assert value_of(rows, "needs_by_technique", "Computer vision") == 3
    assert not [r for r in rows if r["figure"] == "capabilities_by_technique"]


def test_country_manager_sees_the_country_and_no_hidden_postings(client, regional_world, manager):
    client.force_login(manager)

    rows = csv_rows(client.get(reverse("insights:export")))

    # Stuttgart 3, Munich 1, the German organisation without a region 1; never the hidden
    # posting or the hidden organisation's.
    assert value_of(rows, "needs_by_technique", "Computer vision") == 5
    assert value_of(rows, "capabilities_by_technique", "Natural language processing") == 1
    # Closed ones count among the new postings of their month.
    assert sum(int(r["value"]) for r in rows if r["figure"] == "needs_per_month") == 7


def test_dashboard_shows_charts_and_the_map(client, regional_world, staff):
    client.force_login(staff)

    html = client.get(reverse("insights:dashboard")).content.decode()

    assert html.count('<svg class="chart"') >= 6
    assert 'data-testid="region-map"' in html
    assert reverse("insights:export") in html


# --- the funnel: suggestions shown, requests, acceptance, partnerships ---------------------


@pytest.fixture
def funnel_world():
    """Stuttgart (DE11), Munich (DE21) and Paris (FR10): suggestions shown to each, requests
    between them, two of which became a partnership or contract."""
    from matchmaking.collaboration.models import ContactOutcome, ContactRequest
    from matchmaking.insights.services import suggestions_shown_record

    stuttgart = organisation_in("DE11", kind="sme")
    munich = organisation_in("DE21", kind="university")
    paris = organisation_in("FR10", kind="research_institute")
    for organisation, count in ((stuttgart, 5), (munich, 3), (paris, 2)):
        suggestions_shown_record(source=organisation, count=count)
    vision_need = NeedFactory(organisation=stuttgart, techniques=["computer_vision"])
    nlp_capability = CapabilityFactory(organisation=paris, techniques=["nlp"])
    Status, Stage = ContactRequest.Status, ContactOutcome.Stage

    def request(sender, recipient, status, stage=None, **about):
        contact = ContactRequest.objects.create(
            sender_organisation=sender,
            recipient_organisation=recipient,
            reason="Let us talk.",
            status=status,
            **about,
        )
        if stage:
            ContactOutcome.objects.create(contact_request=contact, stage=stage, organisation=sender)
        return contact

    request(stuttgart, munich, Status.ACCEPTED, Stage.PARTNERSHIP, about_need=vision_need)
    request(munich, paris, Status.DECLINED)
    request(paris, stuttgart, Status.ACCEPTED, Stage.CONTRACT, about_capability=nlp_capability)
    request(stuttgart, paris, Status.PENDING)
    return {"stuttgart": stuttgart, "munich": munich, "paris": paris}


def figure(rows: list[dict], key: str) -> dict[str, float]:
    return {r["label"]: float(r["value"]) for r in rows if r["figure"] == key}


def test_region_manager_sees_only_the_funnel_of_the_region(client, funnel_world, region_manager):
    client.force_login(region_manager)

    rows = csv_rows(client.get(reverse("insights:export")))

    assert sum(figure(rows, "suggestions_shown_per_month").values()) == 5
    assert sum(figure(rows, "contact_requests_per_month").values()) == 2
    # Stuttgart's answered requests: one accepted (the pending one is not answered yet).
    assert list(figure(rows, "acceptance_rate_per_month").values()) == [100.0]
    assert figure(rows, "partnerships_by_region") == {"DE11": 2}
    assert figure(rows, "partnerships_by_kind") == {"SME": 2}
    assert figure(rows, "partnerships_by_technique") == {
        "Computer vision": 1,
        "Natural language processing": 1,
    }
    assert sum(figure(rows, "partnerships_per_month").values()) == 2


def test_country_manager_sees_the_funnel_of_the_country(client, funnel_world, manager):
    client.force_login(manager)

    rows = csv_rows(client.get(reverse("insights:export")))

    assert sum(figure(rows, "suggestions_shown_per_month").values()) == 8
    assert sum(figure(rows, "contact_requests_per_month").values()) == 3
    assert list(figure(rows, "acceptance_rate_per_month").values()) == [50.0]
    assert figure(rows, "partnerships_by_region") == {"DE11": 2, "DE21": 1}
    assert figure(rows, "partnerships_by_kind") == {"SME": 2, "University": 1}


def test_staff_see_every_region_of_the_funnel(client, funnel_world, staff):
    client.force_login(staff)

    rows = csv_rows(client.get(reverse("insights:export")))

    assert sum(figure(rows, "suggestions_shown_per_month").values()) == 10
    assert figure(rows, "partnerships_by_region") == {"DE11": 2, "DE21": 1, "FR10": 1}
    assert sum(figure(rows, "partnerships_per_month").values()) == 2


def test_dashboard_draws_every_figure_as_a_chart(client, funnel_world, staff):
    client.force_login(staff)

    html = client.get(reverse("insights:dashboard")).content.decode()

    assert html.count('<svg class="chart"') == 14
    for title in ("Suggestions shown per month", "Partnerships by AI technique"):
        assert f'aria-label="{title}"' in html


# The dashboard's reads: session, user, two-factor check and the savepoint pair; the
# viewer's memberships (once per visibility gate: three); postings by technique and domain
# (two), verdicts, needs and capabilities per month (two), organisations by kind; the
# funnel: requests, suggestions shown, partnerships (three); the map's counts and regions.
# Must not grow with the rows.
INSIGHTS_PAGE_QUERIES = 19


def test_dashboard_query_count_does_not_grow_with_rows(
    client, funnel_world, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(INSIGHTS_PAGE_QUERIES):
        client.get(reverse("insights:dashboard"))
