"""POST /api/v1/teams/: a consortium for a call around one of your organisations."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ApiView, error_responses
from accounts.selectors import organisation_list_for_member
from matchmaking.teams.forms import MAX_CALL_CHARS
from matchmaking.teams.selectors import (
    MAX_ROLES,
    ROLE_KINDS,
    CallSpec,
    Member,
    NoTeamProposal,
    team_proposal,
)


class TeamRequestSerializer(serializers.Serializer):
    coordinator = serializers.SlugField(help_text=_("Slug of an organisation you belong to."))
    call = serializers.CharField(max_length=MAX_CALL_CHARS)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=list(ROLE_KINDS)),
        min_length=1,
        max_length=MAX_ROLES,
        help_text=_('One role code per partner to propose, e.g. ["research", "sme"].'),
    )
    min_countries = serializers.IntegerField(min_value=1, max_value=10, default=1)
    min_smes = serializers.IntegerField(min_value=0, max_value=MAX_ROLES, default=0)

    def validate_coordinator(self, slug: str):
        user = self.context["request"].user
        organisation = organisation_list_for_member(user=user).filter(slug=slug).first()
        if organisation is None:
            raise serializers.ValidationError(_("You are not a member of this organisation."))
        return organisation


class TeamMemberSerializer(serializers.Serializer):
    role = serializers.CharField()
    organisation = serializers.SlugField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    kind = serializers.CharField(source="organisation.kind")
    country = serializers.CharField(source="organisation.country")
    reasons = serializers.ListField(child=serializers.CharField())
    covers = serializers.ListField(child=serializers.CharField())


class TeamAlternativesSerializer(serializers.Serializer):
    role = serializers.CharField()
    organisations = TeamMemberSerializer(many=True)


class TeamResponseSerializer(serializers.Serializer):
    team = serializers.BooleanField(help_text=_("False when no team satisfies the rules."))
    reason = serializers.CharField(required=False, help_text=_("Why no team exists."))
    members = TeamMemberSerializer(many=True, required=False)
    alternatives = TeamAlternativesSerializer(many=True, required=False)
    rules = serializers.ListField(child=serializers.CharField(), required=False)
    countries = serializers.ListField(child=serializers.CharField(), required=False)


def _members(members: list[Member]) -> list[dict[str, Any]]:
    return TeamMemberSerializer(members, many=True).data


@extend_schema(tags=["teams"])
class TeamBuilderApi(ApiView):
    """Propose one organisation per role around the coordinator's organisation, chosen
    jointly under the call's rules (countries, SMEs), each with reasons and alternatives;
    or `team: false` with the rule no team can satisfy."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=TeamRequestSerializer,
        responses={200: TeamResponseSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        given = TeamRequestSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        proposal = team_proposal(
            user=request.user,
            coordinator=data["coordinator"],
            call=CallSpec(
                text=data["call"],
                roles=tuple(data["roles"]),
                min_countries=data["min_countries"],
                min_smes=data["min_smes"],
            ),
        )
        if isinstance(proposal, NoTeamProposal):
            return Response({"team": False, "reason": proposal.reason})
        return Response(
            {
                "team": True,
                "members": _members(proposal.members),
                "alternatives": [
                    {"role": role, "organisations": _members(others)}
                    for role, others in proposal.alternatives
                ],
                "rules": proposal.rules,
                "countries": proposal.countries,
            }
        )
