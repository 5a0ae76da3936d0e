from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import home
from config.views import health, metrics

# The admin signs in through the site's login (with two-factor authentication), never its own form.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("allauth.urls")),
    path("", include("matchmaking.urls")),
    path("", include("matchmaking.suggestions.urls")),
    path("", include("matchmaking.insights.urls")),
    path("", include("events.urls")),
    path("", include("matchmaking.network.urls")),
    path("", include("matchmaking.collaboration.urls")),
    path("", include("matchmaking.onboarding.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("health/", health, name="health"),
    path("metrics", metrics, name="metrics"),
]

handler500 = "config.views.server_error"
