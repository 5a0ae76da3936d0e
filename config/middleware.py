"""Request-level guards and observation: one log line and one latency observation per
request; bodies capped in size and JSON in depth before any parser sees them."""

import logging
import re
import time
from itertools import accumulate

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from config.client_ip import client_ip
from config.observability import REQUEST_SECONDS

request_log = logging.getLogger("partnering.request")

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects, without parsing it (Python's
    parser itself fails with RecursionError on deep input). Brackets inside strings do
    not count; malformed input is left for the parser to reject."""
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body))
    steps = (1 if char in b"[{" else -1 for char in brackets)
    return max(accumulate(steps, initial=0))


class RequestObservationMiddleware:
    """Outermost: times the whole request, logs one structured line, observes latency."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        seconds = time.monotonic() - started
        match = getattr(request, "resolver_match", None)
        route = match.route if match else "<unmatched>"
        REQUEST_SECONDS.labels(
            method=request.method, route=route, status=f"{response.status_code // 100}xx"
        ).observe(seconds)
        user = getattr(request, "user", None)
        request_log.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            seconds * 1000,
            extra={
                "method": request.method,
                "path": request.path,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "client_ip": client_ip(request),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class JsonDepthLimitMiddleware:
    """Answers 413 for a body over REQUEST_BODY_MAX_BYTES and 400 for JSON nested deeper
    than JSON_MAX_DEPTH, on every endpoint (the token endpoint too), before a view or
    parser runs. Both answers are JSON with a `detail` message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return JsonResponse(
                {
                    "detail": _("The request body is larger than %(limit)d bytes.")
                    % {"limit": settings.REQUEST_BODY_MAX_BYTES}
                },
                status=413,
            )
        if request.content_type == "application/json" and length:
            if json_depth(request.body) > settings.JSON_MAX_DEPTH:
                return JsonResponse(
                    {
                        "detail": _("The JSON body is nested deeper than %(limit)d levels.")
                        % {"limit": settings.JSON_MAX_DEPTH}
                    },
                    status=400,
                )
        return self.get_response(request)
