"""The public map of open needs and capabilities per NUTS-2 region, and the dashboard of
regional programme managers and staff with its CSV export."""

import csv

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from events.charts import bar_chart
from matchmaking.insights.forms import MapFilterForm
from matchmaking.insights.maps import shaded_map
from matchmaking.insights.selectors import (
    InsightScope,
    insight_figures,
    insight_scope_for,
    region_posting_counts,
)


def _map_context(request: HttpRequest, *, user) -> dict:
    form = MapFilterForm(request.GET or None)
    show, technique = form.filters()
    counts = region_posting_counts(user=user, kind=show, technique=technique)
    return {
        "map_form": form,
        "map": shaded_map(counts=counts, show=show, technique=technique),
        "show": show,
    }


def region_map(request: HttpRequest) -> HttpResponse:
    """Public: counts only public postings of public organisations, whoever looks, so the
    page can be linked from anywhere and cached."""
    context = {
        **_map_context(request, user=AnonymousUser()),
        "dashboard_open": insight_scope_for(user=request.user) is not None,
    }
    return render(request, "insights/map.html", context)


def _scope(request: HttpRequest) -> InsightScope:
    scope = insight_scope_for(user=request.user)
    if scope is None:
        raise PermissionDenied
    return scope


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    figures = insight_figures(user=request.user, scope=scope)
    context = {
        "scope": scope,
        "charts": [bar_chart(title=figure.title, rows=figure.rows) for figure in figures],
        **_map_context(request, user=request.user),
    }
    return render(request, "insights/dashboard.html", context)


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """Every figure of the dashboard as rows of (figure, label, value)."""
    scope = _scope(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="regional-dashboard.csv"'
    writer = csv.writer(response)
    writer.writerow(["figure", "label", "value"])
    for figure in insight_figures(user=request.user, scope=scope):
        for label, value in figure.rows:
            writer.writerow([figure.key, label, value])
    return response
