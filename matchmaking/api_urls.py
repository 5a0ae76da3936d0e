"""Need and capability endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from matchmaking.api import (
    CapabilityDetailApi,
    CapabilityListApi,
    NeedDetailApi,
    NeedListApi,
)
from matchmaking.teams.api import TeamBuilderApi

urlpatterns = [
    path("needs/", NeedListApi.as_view(), name="need-list"),
    path("needs/<int:pk>/", NeedDetailApi.as_view(), name="need-detail"),
    path("capabilities/", CapabilityListApi.as_view(), name="capability-list"),
    path("capabilities/<int:pk>/", CapabilityDetailApi.as_view(), name="capability-detail"),
    path("teams/", TeamBuilderApi.as_view(), name="team-builder"),
]
