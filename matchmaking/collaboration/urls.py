"""Contact request and exclusion pages; included from config/urls.py."""

from django.urls import path

from matchmaking.collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("contacts/", views.contact_list, name="list"),
    path("contacts/new/", views.contact_new, name="new"),
    path("contacts/<int:pk>/", views.contact_detail, name="detail"),
    path("contacts/<int:pk>/answer/", views.contact_answer, name="answer"),
    path("contacts/<int:pk>/messages/", views.contact_message, name="message"),
    path("contacts/<int:pk>/outcomes/", views.contact_outcome, name="outcome"),
    path("organisations/<slug:slug>/exclusions/", views.exclusion_list, name="exclusions"),
    path("organisations/<slug:slug>/import/", views.een_import_page, name="een_import"),
    path("postings/export/", views.een_export_page, name="een_export"),
    path(
        "organisations/<slug:slug>/exclusions/<int:pk>/delete/",
        views.exclusion_remove,
        name="exclusion_remove",
    ),
]
