"""Who is asking, in terms the client cannot forge: the keys of login lockout (django-axes)
and of the API's throttles.

X-Forwarded-For is written by whoever sends the request, so it is believed only when the
TCP peer (REMOTE_ADDR) is one of settings.TRUSTED_PROXIES; then the client is the
right-most address in the header that is not itself a trusted proxy (each proxy appends
the address it saw). Without configured proxies the header is ignored entirely."""

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the nearest untrusted hop recorded by a
    trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.TRUSTED_PROXIES or not _is_trusted_proxy(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted_proxy(hop):
            return hop
    return remote


def login_username(request: HttpRequest, credentials: Mapping[str, Any] | None = None) -> str:
    """The e-mail being tried, folded like the login folds it: allauth's HTML login and the
    token endpoint both authenticate with `email`; `username` is Django's default name."""
    source = credentials or getattr(request, "POST", None) or {}
    value = source.get("email") or source.get("username") or ""
    return str(value).strip().lower()
