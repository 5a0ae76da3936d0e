from django.urls import path

from matchmaking.network import views

app_name = "network"

urlpatterns = [
    path("organisations/<slug:slug>/projects/", views.past_projects, name="past_projects"),
    path(
        "organisations/<slug:slug>/projects/import/",
        views.past_project_import,
        name="past_project_import",
    ),
    path(
        "organisations/<slug:slug>/projects/<int:project_id>/visibility/",
        views.past_project_visibility,
        name="past_project_visibility",
    ),
    path(
        "organisations/<slug:slug>/projects/<int:project_id>/delete/",
        views.past_project_delete,
        name="past_project_delete",
    ),
    path(
        "organisations/<slug:slug>/projects/partners/<int:partner_id>/resolve/",
        views.project_partner_resolve,
        name="project_partner_resolve",
    ),
    path("organisations/<slug:slug>/pic/", views.organisation_pic, name="organisation_pic"),
]
