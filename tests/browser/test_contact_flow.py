"""End to end in Debian's chromium: from a suggestion to a recorded outcome. Alice asks
the vision institute for contact from her need's suggestions, Carol (the institute) accepts,
they exchange a message and Alice records that they met."""

import os

import pytest
from playwright.sync_api import Page, expect

from matchmaking.collaboration.models import ContactRequest
from tests.browser.test_suggestions_page import sign_in
from tests.factories import MembershipFactory
from tests.matchmaking.suggestion_world import load_encoders, weld_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def encoders():
    return load_encoders()


def test_suggestion_to_request_to_accept_to_message_to_outcome(
    page: Page, live_server, encoders, sme, alice, carol
):
    page.set_default_timeout(120_000)
    world = weld_world(sme)
    MembershipFactory(user=carol, organisation=world["institute"], role="admin")

    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/needs/{world['need'].id}/")
    card = page.get_by_test_id("suggestions-panel").locator(
        f"#suggestion-capability-{world['vision'].id}"
    )
    card.get_by_test_id("request-contact").click()
    expect(page.get_by_label("Which of your postings is it about?")).to_have_value(
        f"need:{world['need'].id}"
    )
    page.get_by_label("Why would you like to talk?").fill("Your defect detection fits our line.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your contact request has been sent.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Pending")

    page.context.clear_cookies()
    sign_in(page, live_server, carol)
    page.goto(f"{live_server.url}/contacts/")
    page.get_by_test_id("received").get_by_role("link", name=sme.name).click()
    expect(page.get_by_test_id("reason")).to_contain_text("Your defect detection fits")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("contact-person")).to_contain_text("alice@example.org")
    page.get_by_label("Message").fill("Happy to. Tuesday at 10?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("thread")).to_contain_text("Tuesday at 10?")

    page.context.clear_cookies()
    sign_in(page, live_server, alice)
    request = ContactRequest.objects.get()
    page.goto(f"{live_server.url}/contacts/{request.id}/")
    expect(page.get_by_test_id("contact-person")).to_contain_text("carol@example.org")
    expect(page.get_by_test_id("thread")).to_contain_text("Tuesday at 10?")
    page.get_by_label("Outcome").select_option("met")
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_test_id("outcomes")).to_contain_text("Met")
    assert request.outcomes.get().stage == "met"
