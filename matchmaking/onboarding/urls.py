"""Staff pages of bulk onboarding; included from config/urls.py."""

from django.urls import path

from matchmaking.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
]
