"""Contact request and exclusion endpoints of /api/v1/ (urlpatterns below):

    GET  POST  contact-requests/                       yours (sent and received); send one
    GET        contact-requests/<id>/                  one, as your side may see it
    POST       contact-requests/<id>/accept/ | decline/
    GET  POST  contact-requests/<id>/messages/         the thread (after acceptance)
    GET  POST  contact-requests/<id>/outcomes/         met, follow-up, proposal, partnership, …
    GET  POST  organisations/<slug>/exclusions/        "never suggest" / "already partners"
    DELETE     organisations/<slug>/exclusions/<id>/

Members of either side of a request see it; everyone else gets 404. Business rules (cap,
cool-down, one open request per pair) answer 400 with the reason under
`non_field_errors`."""

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ApiView, CodeChoiceField, error_responses
from accounts.selectors import (
    access_organisation,
    access_organisation_for_member,
    organisation_list_for_member,
    organisation_list_visible_to,
)
from matchmaking.api import PostingOrganisationSerializer
from matchmaking.collaboration import een, services
from matchmaking.collaboration.models import (
    ContactOutcome,
    ContactRequest,
    OrganisationExclusion,
)
from matchmaking.collaboration.selectors import (
    access_contact_request,
    contact_request_list_for,
    exclusion_list_for,
    message_list_for,
    outcome_list_for,
)
from matchmaking.models import Capability, Need
from matchmaking.selectors import posting_list_visible_to

# --- serializers -------------------------------------------------------------------------


class ContactOrganisationSerializer(PostingOrganisationSerializer):
    """The other side; an anonymous poster shows as a stand-in (empty slug) until it accepts."""

    class Meta:
        ref_name = "ContactOrganisation"


class ContactPersonSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    email = serializers.EmailField()

    class Meta:
        ref_name = "ContactPerson"


class PostingRefSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {"kind": instance._meta.model_name, "id": instance.id, "title": instance.title}


class ContactRequestOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    side = serializers.ChoiceField(
        choices=[("sender", "sender"), ("recipient", "recipient")],
        help_text=_("Which side your organisation is on."),
    )
    own_organisation = ContactOrganisationSerializer()
    counterpart = ContactOrganisationSerializer()
    status = serializers.ChoiceField(choices=ContactRequest.Status.choices)
    reason = serializers.CharField()
    response_reason = serializers.CharField()
    about = PostingRefSerializer(source="about_posting", allow_null=True)
    target = PostingRefSerializer(source="target_posting", allow_null=True)
    contact_person = ContactPersonSerializer(
        allow_null=True, help_text=_("The other side's person, once accepted.")
    )
    created_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "ContactRequest"


POSTING_KINDS = {"need": Need, "capability": Capability}
POSTING_KIND_CHOICES = [(kind, kind) for kind in POSTING_KINDS]


class ContactRequestInputSerializer(serializers.Serializer):
    """Name the recipient by `organisation` (slug), or by the posting you write about
    (`target_kind` + `target_id`, the only way to reach an anonymous poster)."""

    sender_organisation = serializers.SlugField(help_text=_("Your organisation's slug."))
    organisation = serializers.SlugField(required=False, help_text=_("The recipient's slug."))
    target_kind = CodeChoiceField(choices=POSTING_KIND_CHOICES, required=False)
    target_id = serializers.IntegerField(required=False, min_value=1)
    about_kind = CodeChoiceField(choices=POSTING_KIND_CHOICES, required=False)
    about_id = serializers.IntegerField(required=False, min_value=1)
    reason = serializers.CharField(max_length=1000)

    class Meta:
        ref_name = "ContactRequestInput"

    def validate_sender_organisation(self, value: str):
        organisation = organisation_list_for_member(user=self.context["user"]).filter(slug=value)
        if not organisation:
            raise serializers.ValidationError(_("Not one of your organisations."))
        return organisation.get()

    def validate_organisation(self, value: str):
        try:
            return access_organisation(user=self.context["user"], slug=value)
        except Http404:
            raise serializers.ValidationError(_("No organisation with this slug.")) from None

    def _posting(self, attrs: dict[str, Any], prefix: str):
        kind, posting_id = attrs.get(f"{prefix}_kind"), attrs.get(f"{prefix}_id")
        if kind is None and posting_id is None:
            return None
        if kind is None or posting_id is None:
            raise serializers.ValidationError(
                {
                    f"{prefix}_id": [
                        _("Give both %(prefix)s_kind and %(prefix)s_id.") % {"prefix": prefix}
                    ]
                }
            )
        posting = (
            posting_list_visible_to(model=POSTING_KINDS[kind], user=self.context["user"])
            .filter(id=posting_id)
            .first()
        )
        if posting is None:
            raise serializers.ValidationError({f"{prefix}_id": [_("No such posting.")]})
        return posting

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["target"] = self._posting(attrs, "target")
        attrs["about"] = self._posting(attrs, "about")
        if attrs["target"] is None and "organisation" not in attrs:
            raise serializers.ValidationError(
                {"organisation": [_("Name the organisation or the posting you write about.")]}
            )
        return attrs


class AnswerInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "ContactAnswerInput"


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    author = serializers.CharField(source="author.full_name", read_only=True, allow_null=True)
    body = serializers.CharField(max_length=5000)
    created_at = serializers.DateTimeField(read_only=True)

    class Meta:
        ref_name = "ContactMessage"


class OutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    stage = CodeChoiceField(choices=ContactOutcome.Stage.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    created_at = serializers.DateTimeField(read_only=True)

    class Meta:
        ref_name = "ContactOutcome"


class ExclusionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    excluded = serializers.SlugField(
        source="excluded.slug", help_text=_("Slug of the organisation to keep out.")
    )
    reason = CodeChoiceField(choices=OrganisationExclusion.Reason.choices)
    created_at = serializers.DateTimeField(read_only=True)

    class Meta:
        ref_name = "OrganisationExclusion"


# --- views -------------------------------------------------------------------------------


class ContactApi(ApiView):
    permission_classes = [IsAuthenticated]


@extend_schema(tags=["contacts"])
class ContactRequestListApi(ContactApi):
    @extend_schema(
        responses={200: ContactRequestOutputSerializer(many=True), **error_responses(401)}
    )
    def get(self, request: Request) -> Response:
        """Requests sent and received by your organisations, newest first."""
        rows = contact_request_list_for(user=request.user)
        return Response(ContactRequestOutputSerializer(rows, many=True).data)

    @extend_schema(
        request=ContactRequestInputSerializer,
        responses={201: ContactRequestOutputSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Send a contact request (capped per organisation and day; a declined pair waits
        for the cool-down)."""
        serializer = ContactRequestInputSerializer(
            data=request.data, context={"user": request.user}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sent = services.contact_request_send(
            sender=request.user,
            sender_organisation=data["sender_organisation"],
            recipient_organisation=data.get("organisation"),
            target=data["target"],
            about=data["about"],
            reason=data["reason"],
        )
        shown = access_contact_request(user=request.user, request_id=sent.id)
        return Response(ContactRequestOutputSerializer(shown).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["contacts"])
class ContactRequestDetailApi(ContactApi):
    @extend_schema(responses={200: ContactRequestOutputSerializer, **error_responses(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        contact = access_contact_request(user=request.user, request_id=pk)
        return Response(ContactRequestOutputSerializer(contact).data)


@extend_schema(tags=["contacts"])
class ContactRequestAnswerApi(ContactApi):
    """Accept or decline (the recipient's members only; 403 for the sender)."""

    answer = staticmethod(services.contact_request_accept)

    @extend_schema(
        request=AnswerInputSerializer,
        responses={200: ContactRequestOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        contact = access_contact_request(user=request.user, request_id=pk)
        serializer = AnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.answer(request=contact, actor=request.user, reason=serializer.validated_data["reason"])
        shown = access_contact_request(user=request.user, request_id=pk)
        return Response(ContactRequestOutputSerializer(shown).data)


class ContactRequestAcceptApi(ContactRequestAnswerApi):
    answer = staticmethod(services.contact_request_accept)


class ContactRequestDeclineApi(ContactRequestAnswerApi):
    answer = staticmethod(services.contact_request_decline)


@extend_schema(tags=["contacts"])
class ContactMessageListApi(ContactApi):
    @extend_schema(responses={200: MessageSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        contact = access_contact_request(user=request.user, request_id=pk)
        rows = message_list_for(request=contact) if contact.is_accepted else []
        return Response(MessageSerializer(rows, many=True).data)

    @extend_schema(
        request=MessageSerializer,
        responses={201: MessageSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        contact = access_contact_request(user=request.user, request_id=pk)
        serializer = MessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.contact_message_post(
            request=contact, author=request.user, body=serializer.validated_data["body"]
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["contacts"])
class ContactOutcomeListApi(ContactApi):
    @extend_schema(responses={200: OutcomeSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        contact = access_contact_request(user=request.user, request_id=pk)
        return Response(OutcomeSerializer(outcome_list_for(request=contact), many=True).data)

    @extend_schema(
        request=OutcomeSerializer,
        responses={201: OutcomeSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        contact = access_contact_request(user=request.user, request_id=pk)
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = services.contact_outcome_record(
            request=contact, actor=request.user, **serializer.validated_data
        )
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["exclusions"])
class ExclusionListApi(ContactApi):
    """An organisation's exclusions, for its members (404 for everyone else)."""

    @extend_schema(responses={200: ExclusionSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        organisation, _membership = access_organisation_for_member(user=request.user, slug=slug)
        return Response(
            ExclusionSerializer(exclusion_list_for(organisation=organisation), many=True).data
        )

    @extend_schema(
        request=ExclusionSerializer,
        responses={201: ExclusionSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation, _membership = access_organisation_for_member(user=request.user, slug=slug)
        serializer = ExclusionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        excluded = (
            organisation_list_visible_to(user=request.user)
            .filter(slug=data["excluded"]["slug"])
            .first()
        )
        if excluded is None:
            raise serializers.ValidationError({"excluded": [_("No organisation with this slug.")]})
        exclusion = services.exclusion_add(
            organisation=organisation, excluded=excluded, reason=data["reason"], actor=request.user
        )
        return Response(ExclusionSerializer(exclusion).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["exclusions"])
class ExclusionDetailApi(ContactApi):
    @extend_schema(responses={204: None, **error_responses(401, 404)})
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        organisation, _membership = access_organisation_for_member(user=request.user, slug=slug)
        exclusion = get_object_or_404(exclusion_list_for(organisation=organisation), id=pk)
        services.exclusion_remove(exclusion=exclusion, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("contact-requests/", ContactRequestListApi.as_view(), name="contact-request-list"),
    path(
        "contact-requests/<int:pk>/",
        ContactRequestDetailApi.as_view(),
        name="contact-request-detail",
    ),
    path(
        "contact-requests/<int:pk>/accept/",
        ContactRequestAcceptApi.as_view(),
        name="contact-request-accept",
    ),
    path(
        "contact-requests/<int:pk>/decline/",
        ContactRequestDeclineApi.as_view(),
        name="contact-request-decline",
    ),
    path(
        "contact-requests/<int:pk>/messages/",
        ContactMessageListApi.as_view(),
        name="contact-request-messages",
    ),
    path(
        "contact-requests/<int:pk>/outcomes/",
        ContactOutcomeListApi.as_view(),
        name="contact-request-outcomes",
    ),
    path(
        "organisations/<slug:slug>/exclusions/",
        ExclusionListApi.as_view(),
        name="organisation-exclusions",
    ),
    path(
        "organisations/<slug:slug>/exclusions/<int:pk>/",
        ExclusionDetailApi.as_view(),
        name="organisation-exclusion-detail",
    ),
]


# --- EEN import and export -----------------------------------------------------------------


class EenExportQuerySerializer(serializers.Serializer):
    # Not "format": DRF reads that query parameter to pick a renderer.
    file_format = CodeChoiceField(
        choices=[(f, f) for f in een.FORMATS], required=False, default="json"
    )
    organisation = serializers.SlugField(required=False, help_text=_("Only this organisation."))

    class Meta:
        ref_name = "EenExportQuery"


class EenRowSerializer(serializers.Serializer):
    """One exported row (JSON); CSV has the same columns, lists joined with ";"."""

    reference = serializers.CharField()
    profile_type = serializers.ChoiceField(choices=[("offer", "offer"), ("request", "request")])
    title = serializers.CharField()
    summary = serializers.CharField()
    organisation = serializers.CharField(help_text=_("The anonymous stand-in if hidden."))
    technology_keywords = serializers.ListField(child=serializers.CharField())
    trl = serializers.IntegerField()
    partner_sought = serializers.CharField()
    partnership_type = serializers.ListField(child=serializers.CharField())
    target_countries = serializers.ListField(child=serializers.CharField())
    deadline = serializers.CharField(help_text=_("YYYY-MM-DD or empty."))
    anonymous = serializers.BooleanField()

    class Meta:
        ref_name = "EenRow"


class EenImportInputSerializer(serializers.Serializer):
    format = CodeChoiceField(choices=[(f, f) for f in een.FORMATS])
    content = serializers.CharField(
        help_text=_("The CSV text (header line first) or a JSON list of rows."),
        trim_whitespace=False,
    )

    class Meta:
        ref_name = "EenImportInput"


class EenImportOutputSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.CharField(), help_text=_("References."))

    class Meta:
        ref_name = "EenImportResult"


@extend_schema(tags=["een"])
class EenExportApi(ApiView):
    """Open postings you may see in the EEN layout (see matchmaking/collaboration/een.py);
    anonymous owners appear as the stand-in."""

    @extend_schema(
        parameters=[EenExportQuerySerializer],
        responses={
            (200, "application/json"): EenRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            **error_responses(400, 404),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        query = EenExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slug = query.validated_data.get("organisation")
        organisation = access_organisation(user=request.user, slug=slug) if slug else None
        return een_download(request.user, organisation, query.validated_data["file_format"])


def een_download(user, organisation, fmt: str) -> HttpResponse:
    """The export as a file download (shared by the API and the page)."""
    body = een.een_export(een.een_postings_for(user=user, organisation=organisation), fmt=fmt)
    content_type = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="postings-een.{fmt}"'
    return response


@extend_schema(tags=["een"])
class EenImportApi(ContactApi):
    """Create postings for your organisation from EEN rows, all or nothing. A bad file
    answers 400 with `rows`: {row number: {field: [messages]}}."""

    @extend_schema(
        request=EenImportInputSerializer,
        responses={201: EenImportOutputSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation, _membership = access_organisation_for_member(user=request.user, slug=slug)
        serializer = EenImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rows = een.een_parse(data["content"], fmt=data["format"])
        try:
            created = een.een_import(organisation=organisation, actor=request.user, rows=rows)
        except een.EenImportError as error:
            return Response(
                {"detail": error.message, "rows": error.rows}, status=status.HTTP_400_BAD_REQUEST
            )
        references = [een.posting_to_row(p)["reference"] for p in created]
        return Response({"created": references}, status=status.HTTP_201_CREATED)


urlpatterns += [
    path("postings/export/", EenExportApi.as_view(), name="een-export"),
    path(
        "organisations/<slug:slug>/postings/import/",
        EenImportApi.as_view(),
        name="een-import",
    ),
]
