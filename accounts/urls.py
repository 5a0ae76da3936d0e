from allauth.account import views as account_views
from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from accounts import views

app_name = "accounts"

# Sign-up, login and passwords are django-allauth's views at the paths and names these
# pages always had; config/urls.py mounts the rest of allauth (e-mail confirmation, 2FA).
urlpatterns = [
    path("signup/", account_views.signup, name="signup"),
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("password/change/", account_views.password_change, name="password_change"),
    path(
        "password/change/done/",
        RedirectView.as_view(pattern_name="accounts:dashboard"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        account_views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done")
        ),
        name="password_reset",
    ),
    path("password/reset/sent/", account_views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/complete/",
        account_views.password_reset_from_key_done,
        name="password_reset_complete",
    ),
    path("account/", views.account_security, name="account_security"),
    path("account/data.json", views.account_data_export, name="account_data_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisations/<slug:slug>/data.json",
        views.organisation_data_export,
        name="organisation_data_export",
    ),
    path(
        "organisations/<slug:slug>/delete/", views.organisation_delete, name="organisation_delete"
    ),
    path("organisations/<slug:slug>/audit/", views.organisation_audit, name="organisation_audit"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
