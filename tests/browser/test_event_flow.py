"""End to end in Debian's chromium: an organiser creates an event and opens registration,
two participants register and exchange a request, the organiser generates and publishes
the schedule, and a participant downloads the agenda as a calendar file."""

import os
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from events.models import Event, Meeting
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_suggestions_page import sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page: Page, live_server, user) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, user)


def test_organiser_schedules_and_participant_downloads_the_agenda(
    page: Page, live_server, olga, alice, carol
):
    page.set_default_timeout(120_000)
    sign_in(page, live_server, olga)
    page.goto(live_server.url + "/events/")
    page.get_by_role("link", name="Create event").click()
    page.get_by_label("Name", exact=True).fill("Weld Days 2030")
    page.get_by_label("Venue").fill("Messe Stuttgart")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Sessions").fill("2030-10-14 09:00-10:00\n2030-10-14 10:30-11:30")
    page.get_by_label("Meeting length (minutes)").fill("30")
    page.get_by_label("Tables").fill("2")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Weld Days 2030")).to_be_visible()
    page.get_by_role("button", name="Open registration").click()
    expect(page.get_by_text("Registration is open.").first).to_be_visible()
    slug = Event.objects.get().slug

    for user in (alice, carol):
        switch_user(page, live_server, user)
        page.goto(f"{live_server.url}/events/{slug}/")
        page.get_by_role("link", name="Register", exact=True).click()
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_role("heading", name="Who should you meet?")).to_be_visible()

    page.get_by_role("link", name=alice.full_name).click()
    page.get_by_label("Message").fill("Let us talk about weld seams.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("cell", name="Let us talk about weld seams.")).to_be_visible()

    switch_user(page, live_server, alice)
    page.goto(f"{live_server.url}/events/{slug}/requests/")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("cell", name="Accepted")).to_be_visible()

    switch_user(page, live_server, olga)
    page.goto(f"{live_server.url}/events/{slug}/organise/schedule/")
    page.get_by_role("button", name="Generate draft").click()
    expect(page.get_by_text(re.compile("Last run: 1 meetings added"))).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("1 meetings published")).to_be_visible()
    assert Meeting.objects.get().status == "confirmed"

    switch_user(page, live_server, carol)
    page.goto(f"{live_server.url}/events/{slug}/agenda/")
    expect(page.get_by_role("cell", name=re.compile(alice.full_name))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    calendar = Calendar.from_ical(open(download.value.path(), "rb").read())
    [entry] = calendar.walk("VEVENT")
    assert alice.full_name in str(entry["SUMMARY"])
    assert entry["STATUS"] == "CONFIRMED"

    assert_accessible(
        page,
        live_server.url,
        (f"/events/{slug}/", f"/events/{slug}/participants/", f"/events/{slug}/agenda/"),
    )
    switch_user(page, live_server, olga)
    assert_accessible(
        page,
        live_server.url,
        (
            "/events/",
            f"/events/{slug}/organise/",
            f"/events/{slug}/organise/pairs/",
            f"/events/{slug}/organise/schedule/",
            f"/events/{slug}/edit/",
        ),
    )
