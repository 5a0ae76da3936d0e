"""End to end in Debian's chromium: a member opens her need, reads why the vision institute
is suggested, and dismisses it as not relevant."""

import os

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from matchmaking.models import SuggestionFeedback
from tests.matchmaking.suggestion_world import VISION_CAPABILITY, load_encoders, weld_world

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
# a thread with a running loop unless told that this is intended (test code only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def encoders():
    return load_encoders()


def sign_in(page: Page, live_server, user) -> None:
    """Reuse a Django session instead of typing the password: the login form has its own
    test; this one is about suggestions."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_member_reads_the_reasons_of_a_suggestion_and_dismisses_it(
    page: Page, live_server, encoders, sme, alice
):
    page.set_default_timeout(120_000)  # a busy machine encodes the sentence pairs slowly
    world = weld_world(sme)
    sign_in(page, live_server, alice)

    page.goto(f"{live_server.url}/needs/{world['need'].id}/")
    panel = page.get_by_test_id("suggestions-panel")
    card = panel.locator(f"#suggestion-capability-{world['vision'].id}")
    expect(card.get_by_role("link", name=VISION_CAPABILITY["title"])).to_be_visible()
    expect(card.get_by_test_id("reasons")).to_contain_text("Technology readiness fits")
    expect(card.get_by_test_id("distance")).to_have_text("about 69 km away")
    expect(card.get_by_test_id("sentence-pair")).to_contain_text("camera images")

    card.get_by_text("Not relevant").click()
    card.get_by_label("Reason (optional)").fill("We already work with them.")
    card.get_by_role("button", name="Dismiss").click()

    expect(page.get_by_text("Dismissed. This suggestion will not come back")).to_be_visible()
    expect(page.locator(f"#suggestion-capability-{world['vision'].id}")).to_have_count(0)
    feedback = SuggestionFeedback.objects.get()
    assert (feedback.action, feedback.reason) == ("dismissed", "We already work with them.")
