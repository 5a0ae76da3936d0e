"""allauth's account adapter with this site's wording where allauth's differs."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": _("An account with this e-mail address already exists. Log in instead."),
    }
