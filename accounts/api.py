"""REST endpoints for organisations and API tokens, plus the small pieces every API module
shares (error mapping, choice fields that list the allowed codes).

Views stay thin: a serializer parses, one selector or service acts, a serializer renders.
Who may see what is decided by accounts.selectors; who may write by accounts.services.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.authentication import TwoFactorTokenAuthentication, staff_token_check
from accounts.models import Organisation, Region, Visibility
from accounts.selectors import access_organisation, organisation_directory
from accounts.services import organisation_create, organisation_update
from config.client_ip import client_ip
from matchmaking.taxonomy import Language, Sector

# --- shared plumbing ---------------------------------------------------------------------


class CodeChoiceField(serializers.ChoiceField):
    """A choice field whose error lists the allowed codes, so a client can fix its request
    without reading the docs."""

    default_error_messages = {
        "invalid_choice": _('"{input}" is not a valid choice. Allowed values: {allowed}.'),
    }

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[str(data)]
        except KeyError:
            self.fail(
                "invalid_choice",
                input=data,
                allowed=", ".join(code for code in self.choice_strings_to_values if code),
            )


def code_list_field(choices: Iterable[tuple[str, Any]], **kwargs: Any) -> serializers.ListField:
    """A list of codes from one closed vocabulary (techniques, domains, ...)."""
    return serializers.ListField(child=CodeChoiceField(choices=list(choices)), **kwargs)


class ApiPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ApiView(APIView):
    """Base of every endpoint of /api/v1/.

    Services raise Django's ValidationError (from full_clean or business rules); it becomes
    a 400 naming the field, like a serializer error. Django's PermissionDenied and Http404
    are mapped by DRF itself (403, 404). DRF's handler marks the request's transaction for
    rollback (ATOMIC_REQUESTS), so a refused write leaves nothing behind.

    Token comes first so an anonymous write gets 401 with a `WWW-Authenticate` header
    instead of a bare 403; session cookies keep working for the browsable docs.
    """

    authentication_classes = [TwoFactorTokenAuthentication, SessionAuthentication]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            exc = serializers.ValidationError(serializers.as_serializer_error(exc))
        return super().handle_exception(exc)

    def paginate(self, queryset: Any, serializer_class: type[serializers.Serializer]) -> Response:
        paginator = ApiPagination()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(
            serializer_class(page, many=True, context={"request": self.request}).data
        )


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()

    class Meta:
        ref_name = "ErrorDetail"


# Error bodies as the OpenAPI document describes them. 400 names each bad field, e.g.
# {"trl": ["Ensure this value is less than or equal to 9."]}; list items are keyed by
# their index, and errors about the whole request come under "non_field_errors".
ERROR_RESPONSES = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT, description="Invalid input: each bad field with its messages."
    ),
    401: OpenApiResponse(
        ErrorDetailSerializer, description="Not signed in, or the token is invalid."
    ),
    403: OpenApiResponse(ErrorDetailSerializer, description="Visible, but not yours to change."),
    404: OpenApiResponse(ErrorDetailSerializer, description="Missing or not visible to you."),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERROR_RESPONSES[code] for code in codes}


def country_filter() -> serializers.RegexField:
    return serializers.RegexField(
        r"^[A-Za-z]{2}$", required=False, allow_blank=True, help_text=_("ISO code, e.g. DE")
    )


def region_filter() -> serializers.RegexField:
    return serializers.RegexField(
        r"^[A-Za-z]{2}[A-Za-z0-9]{2}$",
        required=False,
        allow_blank=True,
        help_text=_("NUTS-2 code, e.g. DE21"),
    )


def text_filter(help_text: str) -> serializers.RegexField:
    """Free text; the pattern only tells clients that NUL characters are refused."""
    return serializers.RegexField(
        r"^[^\x00]*$", max_length=200, required=False, allow_blank=True, help_text=help_text
    )


def given_fields(serializer: serializers.Serializer) -> dict[str, Any]:
    """Validated data as keyword arguments for a service."""
    return dict(serializer.validated_data)


@extend_schema(exclude=True)
class UnknownEndpointApi(ApiView):
    """Answers every unknown URL under /api/v1/ with a JSON 404 rather than the site's HTML
    error page, so API clients can always parse the error."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound


# --- organisations -----------------------------------------------------------------------


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()

    class Meta:
        ref_name = "Region"


class OrganisationOutputSerializer(serializers.Serializer):
    """One organisation as every organisation endpoint returns it."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    description = serializers.CharField()
    website = serializers.CharField(help_text=_("A URL, or empty"))
    country = serializers.CharField()
    region = RegionSerializer(allow_null=True)
    city = serializers.CharField()
    size_band = serializers.ChoiceField(choices=Organisation.SizeBand.choices, allow_blank=True)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices))
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices))
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Organisation"


class OrganisationInputSerializer(serializers.Serializer):
    """Create (POST) and full update (PUT) take every field, missing optional ones falling
    back to their defaults; PATCH takes any subset. Country and region are checked by the
    service (European ISO code; region inside the country)."""

    name = serializers.CharField(max_length=200)
    kind = CodeChoiceField(choices=Organisation.Kind.choices)
    country = serializers.CharField(
        min_length=2, max_length=2, help_text=_("ISO 3166 code, e.g. DE")
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    website = serializers.URLField(required=False, allow_blank=True, default="")
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("NUTS-2 code, e.g. DE21"),
    )
    city = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    size_band = CodeChoiceField(
        choices=Organisation.SizeBand.choices, required=False, allow_blank=True, default=""
    )
    languages = code_list_field(Language.choices, required=False, default=list)
    sectors = code_list_field(Sector.choices, required=False, default=list)
    visibility = CodeChoiceField(
        choices=Visibility.choices, required=False, default=Visibility.PUBLIC
    )

    class Meta:
        ref_name = "OrganisationInput"


class OrganisationFilterSerializer(serializers.Serializer):
    kind = CodeChoiceField(choices=Organisation.Kind.choices, required=False)
    country = country_filter()
    region = region_filter()
    q = text_filter(_("Part of the name, description or city"))


@extend_schema(tags=["organisations"])
class OrganisationListApi(ApiView):
    """GET: organisations visible to the caller. POST: create one; the caller becomes its
    first administrator."""

    pagination_class = ApiPagination  # read by drf-spectacular to describe the envelope

    @extend_schema(
        parameters=[OrganisationFilterSerializer],
        responses={
            200: OrganisationOutputSerializer(many=True),
            **error_responses(400, 401, 404),
        },
    )
    def get(self, request: Request) -> Response:
        filters = OrganisationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        organisations = organisation_directory(
            user=request.user,
            kind=wanted.get("kind", ""),
            country=wanted.get("country", "").upper(),
            region=wanted.get("region", "").upper(),
            query=wanted.get("q", ""),
        )
        return self.paginate(organisations.order_by("name", "id"), OrganisationOutputSerializer)

    @extend_schema(
        request=OrganisationInputSerializer,
        responses={201: OrganisationOutputSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        serializer = OrganisationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_create(creator=request.user, **given_fields(serializer))
        return Response(
            OrganisationOutputSerializer(organisation).data, status=status.HTTP_201_CREATED
        )


@extend_schema(
    tags=["organisations"],
    parameters=[
        OpenApiParameter(
            "slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$"
        )
    ],
)
class OrganisationDetailApi(ApiView):
    """One organisation by slug. Invisible and missing look alike (404); only its
    administrators may change it (403 for everyone else who can see it)."""

    @extend_schema(responses={200: OrganisationOutputSerializer, **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        organisation = access_organisation(user=request.user, slug=slug)
        return Response(OrganisationOutputSerializer(organisation).data)

    @extend_schema(
        request=OrganisationInputSerializer,
        responses={200: OrganisationOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, slug: str) -> Response:
        return self._update(request, slug, partial=False)

    @extend_schema(
        request=OrganisationInputSerializer,
        responses={200: OrganisationOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str) -> Response:
        return self._update(request, slug, partial=True)

    def _update(self, request: Request, slug: str, *, partial: bool) -> Response:
        organisation = access_organisation(user=request.user, slug=slug)
        serializer = OrganisationInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_update(
            organisation=organisation, actor=request.user, **given_fields(serializer)
        )
        return Response(OrganisationOutputSerializer(organisation).data)


# --- tokens ------------------------------------------------------------------------------


class TokenObtainThrottle(AnonRateThrottle):
    """Slows down password guessing against the token endpoint, per client address as
    config.client_ip sees it: DRF's own `get_ident` believes any X-Forwarded-For header,
    so changing the header would reset the count. django-axes locks the e-mail and
    address pair after repeated wrong passwords on top of this."""

    scope = "token"
    rate = "20/minute"

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class TokenObtainApi(ApiView):
    """Exchange e-mail and password for the caller's API token (`Authorization: Token …`).
    The same token is returned on every call until it is deleted in the admin. Staff
    accounts need two-factor set up and give the authenticator's current `code`
    (accounts.authentication)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
        code = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text=_("Staff only: the current code of the authenticator app."),
        )

        class Meta:
            ref_name = "TokenObtainInput"

    @extend_schema(
        tags=["auth"],
        request=InputSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Missing fields, wrong e-mail or password, or (staff) no "
                "two-factor set up or a wrong `code`.",
            ),
            429: OpenApiResponse(ErrorDetailSerializer, description="Too many attempts."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The plain HttpRequest: django-axes' middleware annotated that one, and reads
        # its lockout verdict from it after the view.
        user = authenticate(
            request._request,
            email=serializer.validated_data["email"].strip().lower(),
            password=serializer.validated_data["password"],
        )
        if user is None:
            # Answered, not raised: a raised error rolls the request's transaction back,
            # and with it django-axes' record of this failed attempt.
            return Response(
                {"non_field_errors": [_("Wrong e-mail or password.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        refused = staff_token_check(user=user, code=serializer.validated_data.get("code", ""))
        if refused:
            return Response(
                {field: [message] for field, message in refused.items()},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
