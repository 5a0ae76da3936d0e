"""The API docs page works offline: Swagger UI comes from the platform itself
(drf-spectacular-sidecar), and no request of the page leaves 127.0.0.1."""

import os
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_with_no_request_leaving_the_host(page: Page, live_server):
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    # Anything outside would fail here anyway (offline); abort it so the test is quick.
    page.route(
        lambda url: urlsplit(url).hostname not in {"127.0.0.1", "localhost"},
        lambda route: route.abort(),
    )

    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.set_default_timeout(60_000)  # the schema is generated on first use

    page.goto(live_server.url + "/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("AI Partnering API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    assert hosts
    assert failed == []
    assert set(hosts) <= {"127.0.0.1", "localhost"}
