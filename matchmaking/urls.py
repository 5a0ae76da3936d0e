"""Marketplace pages. Needs and capabilities share their views; the `kind` keyword picks
which, so each URL name stays specific ("matchmaking:need_detail")."""

from django.urls import include, path

from matchmaking import views

app_name = "matchmaking"

urlpatterns = [
    path("market/", views.marketplace, name="marketplace"),
    path("", include("matchmaking.teams.urls")),
]

for kind, prefix in (("need", "needs"), ("capability", "capabilities")):
    urlpatterns += [
        path(f"{prefix}/new/", views.posting_create, {"kind": kind}, name=f"{kind}_create"),
        path(f"{prefix}/<int:pk>/", views.posting_detail, {"kind": kind}, name=f"{kind}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.posting_edit, {"kind": kind}, name=f"{kind}_edit"),
        path(
            f"{prefix}/<int:pk>/close/", views.posting_close, {"kind": kind}, name=f"{kind}_close"
        ),
        path(
            f"{prefix}/<int:pk>/reopen/",
            views.posting_reopen,
            {"kind": kind},
            name=f"{kind}_reopen",
        ),
        path(
            f"{prefix}/<int:pk>/delete/",
            views.posting_delete,
            {"kind": kind},
            name=f"{kind}_delete",
        ),
    ]
