"""Suggestion pages and feedback forms; included from config/urls.py. The detail pages of
needs and capabilities (matchmaking/urls.py) show the panel. The API's routes are in
api_urls.py."""

from django.urls import path

from matchmaking.suggestions import views

app_name = "suggestions"

urlpatterns = [
    path(
        "organisations/<slug:slug>/suggestions/",
        views.organisation_suggestions,
        name="organisation",
    ),
    path(
        "organisations/<slug:key>/suggestions/feedback/",
        views.suggestion_feedback,
        {"kind": "organisation"},
        name="organisation_feedback",
    ),
]

for kind, prefix in (("need", "needs"), ("capability", "capabilities")):
    urlpatterns += [
        path(
            f"{prefix}/<int:pk>/suggestions/",
            views.posting_suggestions,
            {"kind": kind},
            name=kind,
        ),
        path(
            f"{prefix}/<int:key>/suggestions/feedback/",
            views.suggestion_feedback,
            {"kind": kind},
            name=f"{kind}_feedback",
        ),
    ]
