"""Suggestion endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from matchmaking.suggestions.api import (
    CapabilitySuggestionFeedbackApi,
    CapabilitySuggestionsApi,
    NeedSuggestionFeedbackApi,
    NeedSuggestionsApi,
    OrganisationSuggestionFeedbackApi,
    OrganisationSuggestionsApi,
)

urlpatterns = [
    path("needs/<int:pk>/suggestions/", NeedSuggestionsApi.as_view(), name="need-suggestions"),
    path(
        "needs/<int:pk>/suggestions/feedback/",
        NeedSuggestionFeedbackApi.as_view(),
        name="need-suggestion-feedback",
    ),
    path(
        "capabilities/<int:pk>/suggestions/",
        CapabilitySuggestionsApi.as_view(),
        name="capability-suggestions",
    ),
    path(
        "capabilities/<int:pk>/suggestions/feedback/",
        CapabilitySuggestionFeedbackApi.as_view(),
        name="capability-suggestion-feedback",
    ),
    path(
        "organisations/<slug:slug>/suggestions/",
        OrganisationSuggestionsApi.as_view(),
        name="organisation-suggestions",
    ),
    path(
        "organisations/<slug:slug>/suggestions/feedback/",
        OrganisationSuggestionFeedbackApi.as_view(),
        name="organisation-suggestion-feedback",
    ),
]
