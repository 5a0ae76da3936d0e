"""Team builder page, included by matchmaking/urls.py (namespace "matchmaking")."""

from django.urls import path

from matchmaking.teams import views

urlpatterns = [path("teams/", views.team_builder, name="team_builder")]
