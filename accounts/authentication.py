"""API tokens must not be a way around staff two-factor authentication.

A staff account can change everything; the web site sends a staff user without an
authenticator app to the TOTP setup (accounts.middleware), and signing in asks for the
code. A token obtained with e-mail and password alone would skip both, so:
- obtaining a token as staff needs TOTP set up and a current code (`staff_token_check`);
- a token of a staff user who has no authenticator (any more) is refused on every call
  (`TwoFactorTokenAuthentication`), which also covers tokens issued before this rule.
Members are not affected: two-factor is optional for them.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import is_mfa_enabled
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import User

STAFF_NEEDS_TWO_FACTOR = _(
    "Staff accounts need two-factor authentication: set up an authenticator app on the "
    "site before using an API token."
)


def staff_without_two_factor(user: User) -> bool:
    return user.is_staff and not is_mfa_enabled(user, [Authenticator.Type.TOTP])


def staff_token_check(*, user: User, code: str) -> dict[str, str]:
    """{field: message} that refuse a token to `user`, empty when one may be issued.
    A code is used once (allauth marks it), as at the site's sign-in."""
    if not user.is_staff:
        return {}
    if staff_without_two_factor(user):
        return {"non_field_errors": str(STAFF_NEEDS_TWO_FACTOR)}
    if not code:
        return {"code": str(_("Staff accounts give the current code of their authenticator app."))}
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    if not TOTP(authenticator).validate_code(code):
        return {"code": str(_("Wrong or already used code."))}
    return {}


class TwoFactorTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if staff_without_two_factor(user):
            raise AuthenticationFailed(STAFF_NEEDS_TWO_FACTOR)
        return user, token
