"""End to end in Debian's chromium: a member records a past project with a partner and
then sees that partner's own partner suggested, with the reason and who can introduce."""

import os

import pytest
from playwright.sync_api import Page, expect

from matchmaking.network import services
from tests.browser.test_suggestions_page import sign_in
from tests.factories import OrganisationFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recorded_project_brings_a_partner_of_partner_with_its_reason(
    page: Page, live_server, sme, alice
):
    page.set_default_timeout(60_000)
    partner = OrganisationFactory(name="Fraunhofer IPA")
    candidate = OrganisationFactory(name="Robotics Startup")
    services.past_project_create(
        organisation=partner, title="Grippers", acronym="GRIP", year=2020, partners=[candidate]
    )
    sign_in(page, live_server, alice)

    page.goto(f"{live_server.url}/organisations/{sme.slug}/")
    page.get_by_test_id("past-projects").click()
    page.get_by_label("Title").fill("Weld seam inspection line")
    page.get_by_label("Acronym").fill("SEAM")
    page.get_by_label("Start year").fill("2021")
    page.get_by_label("Partners on the platform").select_option(label="Fraunhofer IPA")
    page.get_by_role("button", name="Record project").click()
    expect(page.get_by_text("The project has been recorded.")).to_be_visible()
    expect(page.get_by_test_id("known-partners")).to_contain_text(
        "Fraunhofer IPA — project SEAM, 2021"
    )

    page.goto(f"{live_server.url}/organisations/{sme.slug}/")
    page.get_by_test_id("partner-suggestions").click()
    card = page.locator(f"#suggestion-organisation-{candidate.id}")
    expect(card.get_by_role("link", name="Robotics Startup")).to_be_visible()
    expect(card.get_by_test_id("reasons")).to_contain_text(
        "You both worked with Fraunhofer IPA — project SEAM, 2021; they: project GRIP, 2020."
    )
    expect(card.get_by_test_id("warm-introduction")).to_contain_text("ask Fraunhofer IPA")
    expect(page.locator(f"#suggestion-organisation-{partner.id}")).to_have_count(0)
