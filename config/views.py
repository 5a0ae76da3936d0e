"""Site-wide endpoints: error pages, /health/ and /metrics."""

import ipaddress
import os
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from config.client_ip import client_ip
from config.health import BacklogCollector, health_report


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A lost database is an outage, not a bug: 503 with Retry-After, so a
    proxy or client can tell it from a defect; the next request connects afresh."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        status, message = 503, _("The service is briefly unavailable. Please try again.")
    else:
        status, message = 500, _("Something went wrong on our side. It has been logged.")
    if _wants_json(request):
        response = JsonResponse({"detail": message}, status=status)
    else:
        # No request context: the database may be the very thing that failed.
        body = loader.get_template("500.html").render({"message": message, "status": status})
        response = HttpResponse(body, status=status)
    if status == 503:
        response["Retry-After"] = "5"
    return response


@never_cache
@transaction.non_atomic_requests
def health(request: HttpRequest) -> JsonResponse:
    """Database, broker, workers and embedding backlog; 200 when all are up, else 503
    with `down` naming what is not."""
    report = health_report()
    return JsonResponse(report, status=200 if not report["down"] else 503)


def _allowed_to_scrape(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.METRICS_ALLOWED_NETWORKS
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format: request and task latency (added up over the processes of
    this machine under `make serve`) and the embedding backlog, read at scrape time."""
    if not _allowed_to_scrape(request):
        return HttpResponseForbidden("metrics are served to METRICS_ALLOWED_NETWORKS only\n")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    backlog = CollectorRegistry()
    backlog.register(BacklogCollector())
    return HttpResponse(
        generate_latest(registry) + generate_latest(backlog), content_type=CONTENT_TYPE_LATEST
    )
