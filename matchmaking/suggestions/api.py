"""Suggestion endpoints of /api/v1/ (routes in api_urls.py, mounted by config/api_urls.py):

    GET  needs/<id>/suggestions/                  capabilities and organisations for a need
    GET  capabilities/<id>/suggestions/           needs for a capability
    GET  organisations/<slug>/suggestions/        reciprocal partner organisations
    POST <any of the three>/feedback/             save, dismiss (with a reason) or contact

Only members of the source's organisation get an answer; everyone else gets 404, as for a
missing source (matchmaking.suggestions.feedback.access_suggestion_source). Every suggestion carries
its explanation: each signal's contribution, shared taxonomy terms in the request's
language, km between region centroids and the best-matching sentence pair.
"""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ApiView, CodeChoiceField, error_responses
from matchmaking.api import PostingOrganisationSerializer
from matchmaking.insights.services import suggestions_shown_record
from matchmaking.kinds import CAPABILITY, KINDS, NEED, ORGANISATION, TARGET_KINDS, item_kind
from matchmaking.models import SuggestionFeedback
from matchmaking.suggestions import (
    Suggestion,
    matches_pending,
    organisation_suggestion_list,
    suggestion_list_for_capability,
    suggestions_for_need,
)
from matchmaking.suggestions.feedback import (
    FEEDBACK_SERVICES,
    access_suggestion_source,
    access_suggestion_target,
)
from matchmaking.suggestions.links import target_url
from matchmaking.suggestions.services import suggestion_feedback_give

MAX_LIMIT = 50

# --- serializers -------------------------------------------------------------------------


class SuggestionOrganisationSerializer(PostingOrganisationSerializer):
    """The organisation of a suggestion's source or target, shown as on a posting."""

    class Meta:
        ref_name = "SuggestionOrganisation"


class ItemSerializer(serializers.Serializer):
    """A need, capability or organisation as a source or target of a suggestion."""

    kind = serializers.CharField(help_text=_("need, capability or organisation"))
    id = serializers.IntegerField()
    title = serializers.CharField(help_text=_("The posting's title or the organisation's name."))
    url = serializers.CharField(help_text=_("The page that shows it."))
    organisation = SuggestionOrganisationSerializer()

    class Meta:
        ref_name = "SuggestionItem"

    def to_representation(self, instance: Any) -> dict[str, Any]:
        kind = item_kind(instance)
        organisation = instance if kind == ORGANISATION else instance.organisation
        return {
            "kind": kind,
            "id": instance.id,
            "title": instance.name if kind == ORGANISATION else instance.title,
            "url": target_url(instance),
            "organisation": SuggestionOrganisationSerializer(organisation).data,
        }


class ContributionSerializer(serializers.Serializer):
    signal = serializers.CharField()
    label = serializers.CharField()
    points = serializers.FloatField(help_text=_("What this signal adds to the score."))


class TermSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text=_("In the request's language."))


class SentencePairSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    similarity = serializers.FloatField()


class ExplanationSerializer(serializers.Serializer):
    contributions = ContributionSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    shared_techniques = TermSerializer(many=True)
    shared_domains = TermSerializer(many=True)
    shared_languages = TermSerializer(many=True)
    distance_km = serializers.IntegerField(allow_null=True)
    sentence_pair = SentencePairSerializer(allow_null=True)


class ViaSerializer(serializers.Serializer):
    """A posting pair behind an organisation suggestion."""

    source = ItemSerializer()
    target = ItemSerializer()
    score = serializers.FloatField()

    class Meta:
        ref_name = "SuggestionVia"


class SuggestionOutputSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField(help_text=_("The ranking score: orders one list only."))
    strength = serializers.IntegerField(
        help_text=_(
            "0–100, comparable across lists: the share of real partnerships in the labelled "
            "data that scored lower (50 = as strong as the median one)."
        )
    )
    weak = serializers.BooleanField(
        help_text=_("True when weaker than 4 in 5 real partnerships (strength below 20).")
    )
    target = ItemSerializer()
    explanation = ExplanationSerializer(source="as_explanation")
    saved = serializers.BooleanField()
    contacted = serializers.BooleanField()
    via = ViaSerializer(many=True)

    class Meta:
        ref_name = "Suggestion"


PENDING_FIELD = serializers.BooleanField(
    help_text=_("True while the suggestions are being prepared (saved, not ranked yet); ask again.")
)


class NeedSuggestionsOutputSerializer(serializers.Serializer):
    source = ItemSerializer()
    pending = PENDING_FIELD
    capabilities = SuggestionOutputSerializer(many=True)
    organisations = SuggestionOutputSerializer(many=True)


class CapabilitySuggestionsOutputSerializer(serializers.Serializer):
    source = ItemSerializer()
    pending = PENDING_FIELD
    needs = SuggestionOutputSerializer(many=True)


class OrganisationSuggestionsOutputSerializer(serializers.Serializer):
    source = ItemSerializer()
    pending = PENDING_FIELD
    organisations = SuggestionOutputSerializer(many=True)


class SuggestionQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False, default=10)


class FeedbackInputSerializer(serializers.Serializer):
    action = CodeChoiceField(choices=[(a, a) for a in FEEDBACK_SERVICES])
    target_kind = CodeChoiceField(choices=[(k, k) for k in KINDS])
    target_id = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_target_kind(self, value: str) -> str:
        allowed = TARGET_KINDS[self.context["source_kind"]]
        if value not in allowed:
            raise serializers.ValidationError(
                _("Not suggested here. Allowed values: %(allowed)s.")
                % {"allowed": ", ".join(allowed)}
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("reason") and attrs["action"] != "dismiss":
            raise serializers.ValidationError({"reason": [_("Only a dismissal takes a reason.")]})
        return attrs


class FeedbackOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=SuggestionFeedback.Action.choices)
    reason = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text=_("The score shown when acting."))
    rank = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "SuggestionFeedback"


# --- views -------------------------------------------------------------------------------


def _limit(request: Request) -> int:
    query = SuggestionQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["limit"]


def _pending(source: Any, suggestions: list[Suggestion]) -> bool:
    return not suggestions and matches_pending(source=source)


def _rows(suggestions: list[Suggestion]) -> list[dict[str, Any]]:
    return SuggestionOutputSerializer(suggestions, many=True).data


@extend_schema(tags=["suggestions"])
class NeedSuggestionsApi(ApiView):
    """Capabilities of other organisations for one of your needs, and the organisations
    behind them, best first, each with its explanation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[SuggestionQuerySerializer],
        responses={200: NeedSuggestionsOutputSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        need = access_suggestion_source(user=request.user, kind=NEED, key=pk)
        found = suggestions_for_need(need=need, user=request.user, limit=_limit(request))
        suggestions_shown_record(
            source=need, count=len(found.capabilities) + len(found.organisations)
        )
        return Response(
            {
                "source": ItemSerializer(need).data,
                "pending": _pending(need, list(found)),
                "capabilities": _rows(found.capabilities),
                "organisations": _rows(found.organisations),
            }
        )


@extend_schema(tags=["suggestions"])
class CapabilitySuggestionsApi(ApiView):
    """Needs of other organisations that one of your capabilities could answer."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[SuggestionQuerySerializer],
        responses={200: CapabilitySuggestionsOutputSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        capability = access_suggestion_source(user=request.user, kind=CAPABILITY, key=pk)
        needs = suggestion_list_for_capability(
            capability=capability, user=request.user, limit=_limit(request)
        )
        suggestions_shown_record(source=capability, count=len(needs))
        return Response(
            {
                "source": ItemSerializer(capability).data,
                "pending": _pending(capability, needs),
                "needs": _rows(needs),
            }
        )


@extend_schema(tags=["suggestions"])
class OrganisationSuggestionsApi(ApiView):
    """Partner organisations for your organisation, reciprocal: your needs against their
    capabilities and their needs against yours."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[SuggestionQuerySerializer],
        responses={200: OrganisationSuggestionsOutputSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = access_suggestion_source(user=request.user, kind=ORGANISATION, key=slug)
        partners = organisation_suggestion_list(
            organisation=organisation, user=request.user, limit=_limit(request)
        )
        suggestions_shown_record(source=organisation, count=len(partners))
        return Response(
            {
                "source": ItemSerializer(organisation).data,
                "pending": _pending(organisation, partners),
                "organisations": _rows(partners),
            }
        )


@extend_schema(tags=["suggestions"])
class SuggestionFeedbackApi(ApiView):
    """Save, dismiss ("not relevant", optional reason) or contact one suggestion. A
    dismissed pair never comes back for you; saving it again undoes the dismissal."""

    permission_classes = [IsAuthenticated]
    source_kind = NEED

    @extend_schema(
        request=FeedbackInputSerializer,
        responses={201: FeedbackOutputSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, pk: int | None = None, slug: str | None = None) -> Response:
        key = slug if pk is None else pk
        source = access_suggestion_source(user=request.user, kind=self.source_kind, key=key)
        serializer = FeedbackInputSerializer(
            data=request.data, context={"source_kind": self.source_kind}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        feedback = suggestion_feedback_give(
            user=request.user,
            source=source,
            target=self._target(request, data),
            action=data["action"],
            reason=data["reason"],
        )
        return Response(FeedbackOutputSerializer(feedback).data, status=status.HTTP_201_CREATED)

    def _target(self, request: Request, data: dict[str, Any]):
        """Missing and not-visible targets answer alike, so the API confirms nothing."""
        try:
            return access_suggestion_target(
                user=request.user, kind=data["target_kind"], target_id=data["target_id"]
            )
        except Http404:
            raise serializers.ValidationError(
                {"target_id": [_("No such need, capability or organisation.")]}
            ) from None


class NeedSuggestionFeedbackApi(SuggestionFeedbackApi):
    source_kind = NEED


class CapabilitySuggestionFeedbackApi(SuggestionFeedbackApi):
    source_kind = CAPABILITY


class OrganisationSuggestionFeedbackApi(SuggestionFeedbackApi):
    source_kind = ORGANISATION
