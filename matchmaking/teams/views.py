"""The team builder page for members: describe a call, get a consortium."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import organisation_list_for_member
from matchmaking.teams.forms import TeamForm
from matchmaking.teams.selectors import team_proposal


@login_required
def team_builder(request: HttpRequest) -> HttpResponse:
    organisations = organisation_list_for_member(user=request.user)
    form = TeamForm(request.POST or None, organisations=organisations)
    proposal = None
    if request.method == "POST" and form.is_valid():
        proposal = team_proposal(
            user=request.user,
            coordinator=form.cleaned_data["coordinator"],
            call=form.call_spec(),
        )
    return render(
        request,
        "matchmaking/team_builder.html",
        {"form": form, "proposal": proposal, "has_organisation": organisations.exists()},
    )
