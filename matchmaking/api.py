"""REST endpoints for needs and capabilities.

Both share one implementation parametrised by model, as matchmaking.services does; the
Need*/Capability* classes only name the model, selector and services to call. What a
caller sees comes from matchmaking.selectors (404 alike for missing and invisible), lists
from the marketplace search (matchmaking.search, visibility included); what a caller may
write is decided by matchmaking.services (PermissionDenied -> 403).
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import (
    ApiPagination,
    ApiView,
    CodeChoiceField,
    code_list_field,
    country_filter,
    error_responses,
    given_fields,
    region_filter,
    text_filter,
)
from accounts.models import Organisation, Visibility
from accounts.selectors import organisation_list_visible_to
from matchmaking.collaboration.anonymity import attributable
from matchmaking.models import Capability, Need, Posting
from matchmaking.search import PostingFilters, posting_search
from matchmaking.selectors import access_capability, access_need
from matchmaking.services import (
    capability_create,
    capability_update,
    need_create,
    need_update,
    posting_delete,
)
from matchmaking.taxonomy import (
    BudgetBand,
    CollaborationType,
    Domain,
    Language,
    RegionScope,
    Sovereignty,
    Technique,
)

# --- serializers -------------------------------------------------------------------------


class PostingOrganisationSerializer(serializers.Serializer):
    """The owning organisation, enough to show and filter without a second request."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    country = serializers.CharField()
    region = serializers.CharField(source="region_id", allow_null=True)

    class Meta:
        ref_name = "PostingOrganisation"


class PostingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = PostingOrganisationSerializer()
    title = serializers.CharField()
    description = serializers.CharField()
    language = serializers.CharField(help_text=_("Detected from the text (de or en)."))
    trl = serializers.IntegerField(min_value=1, max_value=9)
    techniques = serializers.ListField(child=serializers.ChoiceField(choices=Technique.choices))
    domains = serializers.ListField(child=serializers.ChoiceField(choices=Domain.choices))
    collaboration_types = serializers.ListField(
        child=serializers.ChoiceField(choices=CollaborationType.choices)
    )
    sovereignty = serializers.ListField(child=serializers.ChoiceField(choices=Sovereignty.choices))
    region_scope = serializers.ChoiceField(choices=RegionScope.choices)
    budget_band = serializers.ChoiceField(choices=BudgetBand.choices, allow_blank=True)
    deadline = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=Posting.Status.choices)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    anonymous = serializers.BooleanField(
        help_text=_(
            "The owner stays hidden (organisation shown as an anonymous stand-in without "
            "slug) until it accepts a contact request from the reader's organisation."
        )
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class NeedOutputSerializer(PostingOutputSerializer):
    class Meta:
        ref_name = "Need"


class CapabilityOutputSerializer(PostingOutputSerializer):
    class Meta:
        ref_name = "Capability"


class PostingInputSerializer(serializers.Serializer):
    """PUT takes every field, missing optional ones falling back to their defaults; PATCH
    takes any subset. Language, author and organisation are not writable here."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    trl = serializers.IntegerField(min_value=1, max_value=9)
    techniques = code_list_field(Technique.choices, required=False, default=list)
    domains = code_list_field(Domain.choices, required=False, default=list)
    collaboration_types = code_list_field(CollaborationType.choices, required=False, default=list)
    sovereignty = code_list_field(Sovereignty.choices, required=False, default=list)
    region_scope = CodeChoiceField(
        choices=RegionScope.choices, required=False, default=RegionScope.EU
    )
    budget_band = CodeChoiceField(
        choices=BudgetBand.choices, required=False, allow_blank=True, default=""
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    status = CodeChoiceField(
        choices=Posting.Status.choices, required=False, default=Posting.Status.OPEN
    )
    visibility = CodeChoiceField(
        choices=Visibility.choices, required=False, default=Visibility.PUBLIC
    )
    anonymous = serializers.BooleanField(required=False, default=False)


class PostingCreateInputSerializer(PostingInputSerializer):
    """Creation also names the organisation, by slug or id. An organisation the caller
    cannot see is reported as unknown (400), one the caller sees but does not belong to
    is refused by the service (403)."""

    organisation = serializers.CharField(help_text=_("Slug or id of the organisation."))

    def validate_organisation(self, value: str) -> Organisation:
        visible = organisation_list_visible_to(user=self.context["request"].user)
        organisation = visible.filter(slug=value).first()
        if organisation is None and value.isdigit():
            organisation = visible.filter(id=int(value)).first()
        if organisation is None:
            raise serializers.ValidationError(_("No organisation with this slug or id."))
        return organisation


class NeedInputSerializer(PostingInputSerializer):
    class Meta:
        ref_name = "NeedInput"


class NeedCreateInputSerializer(PostingCreateInputSerializer):
    class Meta:
        ref_name = "NeedCreateInput"


class CapabilityInputSerializer(PostingInputSerializer):
    class Meta:
        ref_name = "CapabilityInput"


class CapabilityCreateInputSerializer(PostingCreateInputSerializer):
    class Meta:
        ref_name = "CapabilityCreateInput"


STATUS_ALL = "all"


class PostingFilterSerializer(serializers.Serializer):
    """Query parameters of the list endpoints, the marketplace's filters
    (matchmaking.search). Repeated technique/domain/collaboration_type/organisation_kind
    parameters mean "any of these"; different parameters must all hold, so an inverted TRL
    range simply matches nothing. An empty parameter (`?country=`) means "any". Like the
    marketplace, the list holds open postings unless `status` says otherwise."""

    organisation = serializers.SlugField(
        required=False, allow_blank=True, help_text=_("Organisation slug")
    )
    organisation_kind = code_list_field(Organisation.Kind.choices, required=False)
    country = country_filter()
    region = region_filter()
    technique = code_list_field(Technique.choices, required=False)
    domain = code_list_field(Domain.choices, required=False)
    collaboration_type = code_list_field(CollaborationType.choices, required=False)
    trl_min = serializers.IntegerField(min_value=1, max_value=9, required=False)
    trl_max = serializers.IntegerField(min_value=1, max_value=9, required=False)
    status = CodeChoiceField(
        choices=[*Posting.Status.choices, (STATUS_ALL, _("All"))],
        required=False,
        default=Posting.Status.OPEN,
    )
    language = CodeChoiceField(choices=Language.choices, required=False)
    q = text_filter(_("Full text, German or English"))

    def to_filters(self) -> PostingFilters:
        data = self.validated_data
        return PostingFilters(
            q=data.get("q", ""),
            organisation_kinds=tuple(data.get("organisation_kind", ())),
            country=data.get("country", "").upper(),
            region=data.get("region", "").upper(),
            techniques=tuple(data.get("technique", ())),
            domains=tuple(data.get("domain", ())),
            collaboration_types=tuple(data.get("collaboration_type", ())),
            trl_min=data.get("trl_min"),
            trl_max=data.get("trl_max"),
            status="" if data["status"] == STATUS_ALL else data["status"],
            language=data.get("language", ""),
        )


# --- views -------------------------------------------------------------------------------


class PostingListApi(ApiView):
    """GET: visible postings, filtered and paginated. POST: create one for an organisation
    the caller belongs to."""

    pagination_class = ApiPagination  # read by drf-spectacular to describe the envelope
    model: ClassVar[type[Posting]]
    OutputSerializer: ClassVar[type[serializers.Serializer]]
    InputSerializer: ClassVar[type[serializers.Serializer]]

    def create(self, *, organisation: Organisation, request: Request, **fields: Any) -> Posting:
        raise NotImplementedError

    def get(self, request: Request) -> Response:
        filters = PostingFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        postings = posting_search(model=self.model, user=request.user, filters=filters.to_filters())
        # One organisation's postings: the search has no such filter, the slug narrows
        # what it already allowed.
        # Anonymous postings stay out: the filter itself would name their owner.
        if filters.validated_data.get("organisation"):
            postings = attributable(
                postings.filter(organisation__slug=filters.validated_data["organisation"]),
                user=request.user,
            )
        return self.paginate(postings, self.OutputSerializer)

    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        fields = given_fields(serializer)
        posting = self.create(organisation=fields.pop("organisation"), request=request, **fields)
        return Response(self.OutputSerializer(posting).data, status=status.HTTP_201_CREATED)


class PostingDetailApi(ApiView):
    """One posting by id: read, replace (PUT), change (PATCH) or delete. Members of the
    owning organisation may write; others who can see it get 403."""

    OutputSerializer: ClassVar[type[serializers.Serializer]]
    InputSerializer: ClassVar[type[serializers.Serializer]]

    def access(self, request: Request, pk: int) -> Posting:
        raise NotImplementedError

    def update(self, *, posting: Posting, request: Request, **fields: Any) -> Posting:
        raise NotImplementedError

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.OutputSerializer(self.access(request, pk)).data)

    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)

    def delete(self, request: Request, pk: int) -> Response:
        posting_delete(posting=self.access(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        posting = self.access(request, pk)
        serializer = self.InputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        posting = self.update(posting=posting, request=request, **given_fields(serializer))
        return Response(self.OutputSerializer(posting).data)


def posting_list_schema(tag: str) -> Callable[[type[PostingListApi]], type[PostingListApi]]:
    """Describe a list view in OpenAPI from its serializers, without leaking the annotation
    into the shared base class."""

    def decorate(view: type[PostingListApi]) -> type[PostingListApi]:
        return extend_schema_view(
            get=extend_schema(
                tags=[tag],
                parameters=[PostingFilterSerializer],
                responses={
                    200: view.OutputSerializer(many=True),
                    **error_responses(400, 401, 404),
                },
            ),
            post=extend_schema(
                tags=[tag],
                request=view.InputSerializer,
                responses={201: view.OutputSerializer, **error_responses(400, 401, 403)},
            ),
        )(view)

    return decorate


def posting_detail_schema(tag: str) -> Callable[[type[PostingDetailApi]], type[PostingDetailApi]]:
    def decorate(view: type[PostingDetailApi]) -> type[PostingDetailApi]:
        write = extend_schema(
            tags=[tag],
            request=view.InputSerializer,
            responses={200: view.OutputSerializer, **error_responses(400, 401, 403, 404)},
        )
        return extend_schema_view(
            get=extend_schema(
                tags=[tag], responses={200: view.OutputSerializer, **error_responses(401, 404)}
            ),
            put=write,
            patch=write,
            delete=extend_schema(
                tags=[tag], responses={204: None, **error_responses(401, 403, 404)}
            ),
        )(view)

    return decorate


@posting_list_schema("needs")
class NeedListApi(PostingListApi):
    model = Need
    OutputSerializer = NeedOutputSerializer
    InputSerializer = NeedCreateInputSerializer

    def create(self, *, organisation: Organisation, request: Request, **fields: Any) -> Need:
        return need_create(organisation=organisation, author=request.user, **fields)


@posting_detail_schema("needs")
class NeedDetailApi(PostingDetailApi):
    OutputSerializer = NeedOutputSerializer
    InputSerializer = NeedInputSerializer

    def access(self, request: Request, pk: int) -> Need:
        return access_need(user=request.user, need_id=pk)

    def update(self, *, posting: Posting, request: Request, **fields: Any) -> Need:
        return need_update(need=posting, actor=request.user, **fields)


@posting_list_schema("capabilities")
class CapabilityListApi(PostingListApi):
    model = Capability
    OutputSerializer = CapabilityOutputSerializer
    InputSerializer = CapabilityCreateInputSerializer

    def create(self, *, organisation: Organisation, request: Request, **fields: Any) -> Capability:
        return capability_create(organisation=organisation, author=request.user, **fields)


@posting_detail_schema("capabilities")
class CapabilityDetailApi(PostingDetailApi):
    OutputSerializer = CapabilityOutputSerializer
    InputSerializer = CapabilityInputSerializer

    def access(self, request: Request, pk: int) -> Capability:
        return access_capability(user=request.user, capability_id=pk)

    def update(self, *, posting: Posting, request: Request, **fields: Any) -> Capability:
        return capability_update(capability=posting, actor=request.user, **fields)
