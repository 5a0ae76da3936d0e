from django.urls import path

from matchmaking.insights import views

app_name = "insights"

urlpatterns = [
    path("map/", views.region_map, name="map"),
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/export.csv", views.dashboard_csv, name="export"),
]
