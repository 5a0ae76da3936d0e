"""The versioned REST API root, /api/v1/. Every name lives in the `api` namespace,
e.g. reverse("api:need-detail", kwargs={"pk": 1}). Apps add their own api_urls here."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("matchmaking.api_urls")),
]
