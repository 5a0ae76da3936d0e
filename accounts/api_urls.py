"""Organisation and token endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from accounts.api import OrganisationDetailApi, OrganisationListApi, TokenObtainApi

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="token-obtain"),
    path("organisations/", OrganisationListApi.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", OrganisationDetailApi.as_view(), name="organisation-detail"),
]
