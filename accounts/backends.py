"""Authentication backend order: django-axes' lockout check, then Django's ModelBackend."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in that comes with a request: the HTML
    login and the token endpoint both pass theirs. A call without a request (the test
    client's `login()`, a shell) comes from no client address to lock, so this backend
    stands aside and ModelBackend decides alone."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        """allauth's login authenticates with `email=`; axes looks for the username."""
        if request is None:
            return None
        username = username or kwargs.pop("email", None)
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): JSON with a
    `detail` on the API, like every other API error, the lockout page elsewhere."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Too many failed sign-ins. Try again later.")}, status=status
        )
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=status)
