"""End to end in Debian's chromium: a new visitor signs up, creates an organisation,
confirms the e-mail address from the mail and posts a need, only through the pages a
person would click."""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Membership
from matchmaking.models import Need

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
# a thread with a running loop unless told that this is intended (test code only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase 42"


def test_visitor_signs_up_confirms_creates_organisation_and_posts_a_need(
    page: Page, live_server, mailoutbox
):
    # Publishing embeds the text on commit (eager Celery); the first time, the server
    # loads both language models, which takes longer than Playwright's 30 s default on
    # a busy machine.
    page.set_default_timeout(180_000)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Join the network").click()

    page.get_by_label("Full name").fill("Dora Dörr")
    page.get_by_label("E-mail").fill("dora@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Welcome, Dora Dörr")).to_be_visible()

    page.get_by_role("link", name="Create organisation").first.click()
    page.get_by_label("Name", exact=True).fill("Schwaben Stahl GmbH")
    page.get_by_label("Kind of organisation").select_option("sme")
    page.get_by_label("Description").fill("Steel frames for agricultural machines.")
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Region (NUTS-2)").select_option("DE11")
    page.get_by_label("City", exact=True).fill("Stuttgart")
    page.get_by_label("Manufacturing", exact=True).check()
    page.get_by_role("button", name="Create organisation").click()

    expect(page.get_by_role("heading", name="Schwaben Stahl GmbH")).to_be_visible()
    expect(page.get_by_text("My role: Admin")).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_test_id("confirm-email")).to_be_visible()
    link = re.search(r"https?://[^/]+(/confirm-email/\S+/)", mailoutbox[0].body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have confirmed dora@example.org")).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_test_id("confirm-email")).to_have_count(0)
    page.get_by_role("link", name="Post a need").first.click()
    page.get_by_label("Title").fill("Automatic weld seam inspection")
    page.get_by_label("Description").fill(
        "Cameras should find cracks and pores in weld seams of steel frames before painting."
    )
    page.get_by_label("Technology readiness needed (TRL)").fill("6")
    page.get_by_label("Computer vision").check()
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("heading", name="Automatic weld seam inspection")).to_be_visible()
    need = Need.objects.get()
    assert need.organisation.name == "Schwaben Stahl GmbH"
    assert need.author.email == "dora@example.org"
    assert Membership.objects.get(user=need.author).role == Membership.Role.ADMIN
