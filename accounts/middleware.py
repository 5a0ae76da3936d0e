"""Staff accounts can change everything through the admin: a stolen password alone must not
be enough. Until a signed-in staff user has set up an authenticator app (TOTP), every page
sends them to the setup; only the setup itself, signing out and static files stay open."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# The pages a staff user without TOTP may still open.
OPEN_PATH_NAMES = ("mfa_index", "mfa_activate_totp", "account_reauthenticate", "accounts:logout")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not self._is_open(request.path)
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                _("Staff accounts need two-factor authentication. Set up an authenticator app."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        if path.startswith(("/i18n/", "/" + settings.STATIC_URL.lstrip("/"))):
            return True
        return path in {reverse(name) for name in OPEN_PATH_NAMES}
