"""WCAG 2.1 A/AA in Debian's chromium: axe-core (npm, installed by `make test` into
node_modules/) runs on the pages people use most, in the demo world plus the weld-seam
world whose need has real suggestions. Every violation fails the test with its rule, the
offending elements and axe's explanation, so a regression names itself.

Municipalities and public institutes must meet BITV 2.0 / EN 301 549, which cite WCAG 2.1
AA; axe's `wcag2a`, `wcag2aa`, `wcag21a` and `wcag21aa` tags are exactly those rules."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from accounts.models import Visibility
from tests.browser.test_suggestions_page import sign_in
from tests.factories import CapabilityFactory, NeedFactory
from tests.matchmaking.suggestion_world import load_encoders, weld_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def encoders():
    return load_encoders()


def axe_violations(page: Page) -> list[str]:
    """axe's findings on the loaded page, one readable line per rule and element."""
    assert AXE.exists(), "axe-core is missing: run `make test` (npm ci) first"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{violation['id']}: {node['target']} — {node['failureSummary']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def assert_accessible(page: Page, base_url: str, paths: tuple[str, ...]) -> None:
    """Every page is checked before failing, so one run lists all that is left to fix."""
    found = {}
    for path in paths:
        page.goto(base_url + path)
        found[path] = axe_violations(page)
    report = "\n".join(f"{path}\n  " + "\n  ".join(v) for path, v in found.items() if v)
    assert not report, report


@pytest.fixture
def demo_world(sme, encoders):
    """The demo organisations and postings (without embeddings), the weld-seam world with
    embedded suggestions, and a hidden and a closed posting of Alice's SME."""
    call_command("seed_demo", "--no-embed", stdout=StringIO(), stderr=StringIO())
    world = weld_world(sme)
    NeedFactory(organisation=sme, title="Internal forecasting", visibility=Visibility.HIDDEN)
    CapabilityFactory(organisation=sme, title="Retired offer", status="closed")
    return world


def test_public_pages_have_no_wcag_violations(page: Page, live_server, demo_world):
    page.set_default_timeout(60_000)
    paths = (
        "/",
        "/market/",
        "/market/?show=capabilities",
        "/market/?technique=computer_vision&region_scope=regional",
        "/organisations/",
        f"/organisations/{demo_world['institute'].slug}/",
        f"/capabilities/{demo_world['vision'].id}/",
        "/signup/",
        "/password/reset/",
        "/map/",
        "/map/?show=capabilities&technique=computer_vision",
    )
    assert_accessible(page, live_server.url, paths)


def test_login_form_with_an_error_has_no_wcag_violations(page: Page, live_server, alice):
    page.goto(live_server.url + "/login/")
    page.get_by_label("E-mail").fill("alice@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()

    violations = axe_violations(page)

    assert violations == [], "\n".join(violations)


def test_member_pages_have_no_wcag_violations(page: Page, live_server, demo_world, alice):
    page.set_default_timeout(120_000)  # suggestion pages encode sentence pairs
    sign_in(page, live_server, alice)
    need, sme = demo_world["need"], demo_world["sme"]
    paths = (
        "/dashboard/",
        f"/needs/{need.id}/",
        f"/needs/{need.id}/suggestions/",
        f"/needs/{need.id}/edit/",
        "/needs/new/",
        f"/organisations/{sme.slug}/",
        f"/organisations/{sme.slug}/suggestions/",
        f"/organisations/{sme.slug}/members/",
        f"/organisations/{sme.slug}/edit/",
        f"/organisations/{sme.slug}/audit/",
        "/account/",
        "/account/delete/",
    )
    assert_accessible(page, live_server.url, paths)


def test_regional_dashboard_has_no_wcag_violations(page: Page, live_server, demo_world, staff):
    sign_in(page, live_server, staff)

    assert_accessible(page, live_server.url, ("/insights/", "/insights/?show=capabilities"))


def test_german_pages_have_no_wcag_violations(page: Page, live_server, demo_world, alice):
    page.set_default_timeout(120_000)
    sign_in(page, live_server, alice)
    page.context.set_extra_http_headers({"Accept-Language": "de"})
    paths = ("/", "/market/", "/map/", "/dashboard/", f"/needs/{demo_world['need'].id}/")
    assert_accessible(page, live_server.url, paths)
