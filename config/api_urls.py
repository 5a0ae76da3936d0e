"""The versioned REST API root, /api/v1/. Every name lives in the `api` namespace,
e.g. reverse("api:need-detail", kwargs={"pk": 1}). Apps add their own api_urls here."""

from django.urls import include, path, re_path

from accounts.api import UnknownEndpointApi

app_name = "api"

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("matchmaking.api_urls")),
    path("", include("matchmaking.suggestions.api_urls")),
    path("", include("events.api_urls")),
    path("", include("matchmaking.collaboration.api")),
    path("", include("matchmaking.network.api")),
    # Keep last: any other path ending in "/" gets a JSON 404. Paths without the slash
    # still reach APPEND_SLASH's redirect first.
    re_path(r"^[\s\S]*/$", UnknownEndpointApi.as_view(), name="unknown-endpoint"),
]
