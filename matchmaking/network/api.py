"""Past projects of an organisation in /api/v1/ (urlpatterns below), with the same rules
as the "Past projects" page:

    GET  POST          organisations/<slug>/projects/             list; record one by hand
    GET  PATCH DELETE  organisations/<slug>/projects/<id>/        one; change or hide; delete
    POST               organisations/<slug>/projects/import/      CORDIS CSV or JSON
    PATCH              organisations/<slug>/projects/partners/<id>/  resolve a participant

Members of the organisation read, only its admins write (403 for other members), everyone
else gets 404 (a hidden organisation's projects do not even exist for them). A partner
organisation the caller may not see is left out of the partners listed.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ApiView, CodeChoiceField, error_responses
from accounts.selectors import access_organisation_for_member, organisation_list_visible_to
from matchmaking.network import services
from matchmaking.network.cordis import ImportFileError, parse_projects
from matchmaking.network.models import PastProject, ProjectPartner
from matchmaking.network.selectors import past_project_list

MAX_IMPORT_CHARS = 5 * 1024 * 1024


def _organisation(request: Request, slug: str, *, write: bool):
    organisation, membership = access_organisation_for_member(user=request.user, slug=slug)
    if write and not membership.is_admin:
        raise PermissionDenied(
            _("Only administrators of this organisation may change its projects.")
        )
    return organisation


class PartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True)
    pic = serializers.CharField(read_only=True)
    status = CodeChoiceField(choices=ProjectPartner.Status.choices, read_only=True)
    organisation = serializers.SlugField(
        source="organisation.slug",
        allow_null=True,
        read_only=True,
        help_text=_("The linked organisation on the platform; null while unresolved."),
    )

    class Meta:
        ref_name = "ProjectPartner"


class ProjectOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    acronym = serializers.CharField()
    programme = serializers.CharField()
    year = serializers.IntegerField()
    reference = serializers.CharField(
        help_text=_("CORDIS project id; empty when recorded by hand.")
    )
    hidden = serializers.BooleanField()
    partners = PartnerSerializer(many=True, source="partners.all")

    class Meta:
        ref_name = "PastProject"


class ProjectInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    acronym = serializers.CharField(max_length=60, required=False, allow_blank=True)
    programme = serializers.CharField(max_length=120, required=False, allow_blank=True)
    year = serializers.IntegerField(min_value=1950, max_value=2100)
    hidden = serializers.BooleanField(required=False)
    partners = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        max_length=200,
        help_text=_("Slugs of partner organisations on the platform."),
    )

    class Meta:
        ref_name = "PastProjectInput"

    def validate_partners(self, slugs: list[str]) -> list:
        found = {
            o.slug: o
            for o in organisation_list_visible_to(user=self.context["user"]).filter(slug__in=slugs)
        }
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise serializers.ValidationError(
                _("No organisation with the slug(s): %(slugs)s.") % {"slugs": ", ".join(unknown)}
            )
        return [found[slug] for slug in dict.fromkeys(slugs)]


class ImportInputSerializer(serializers.Serializer):
    content = serializers.CharField(
        max_length=MAX_IMPORT_CHARS,
        trim_whitespace=False,
        help_text=_(
            "The file's text: CSV with one row per participant (projectID, acronym, title, "
            "startDate, name, country, organisationID = PIC) or a JSON list of projects with "
            "participants."
        ),
    )
    format = CodeChoiceField(choices=[("csv", "CSV"), ("json", "JSON")], required=False)

    class Meta:
        ref_name = "PastProjectImportInput"


class RowProblemSerializer(serializers.Serializer):
    where = serializers.CharField(help_text=_("e.g. “row 3” or “project 2”"))
    field = serializers.CharField()
    message = serializers.CharField()

    class Meta:
        ref_name = "ProjectImportProblem"


class ImportErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    rows = RowProblemSerializer(many=True)

    class Meta:
        ref_name = "ProjectImportError"


class ImportOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    linked = serializers.IntegerField()
    unresolved = PartnerSerializer(many=True)

    class Meta:
        ref_name = "ProjectImportReport"


class ResolveInputSerializer(serializers.Serializer):
    organisation = serializers.SlugField(
        allow_null=True, help_text=_("The organisation it is, or null: not on the platform.")
    )

    class Meta:
        ref_name = "ProjectPartnerResolveInput"


# --- views -------------------------------------------------------------------------------


class ProjectApi(ApiView):
    permission_classes = [IsAuthenticated]

    def render_projects(self, projects, *, many: bool = False) -> dict:
        return ProjectOutputSerializer(projects, many=many).data

    def project(self, slug: str, pk: int, *, write: bool) -> PastProject:
        organisation = _organisation(self.request, slug, write=write)
        return get_object_or_404(
            past_project_list(organisation=organisation, user=self.request.user), id=pk
        )


@extend_schema(tags=["projects"])
class ProjectListApi(ProjectApi):
    @extend_schema(responses={200: ProjectOutputSerializer(many=True), **error_responses(401, 404)})
    def get(self, request: Request, slug: str) -> Response:
        """The organisation's past projects, hidden ones included (members only)."""
        organisation = _organisation(request, slug, write=False)
        return Response(
            self.render_projects(
                past_project_list(organisation=organisation, user=self.request.user), many=True
            )
        )

    @extend_schema(
        request=ProjectInputSerializer,
        responses={201: ProjectOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Record a project by hand, with partners among the platform's organisations."""
        organisation = _organisation(request, slug, write=True)
        serializer = ProjectInputSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        project = services.past_project_create(
            organisation=organisation, **serializer.validated_data
        )
        return Response(
            self.render_projects(self.project(slug, project.id, write=False)),
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["projects"])
class ProjectDetailApi(ProjectApi):
    @extend_schema(responses={200: ProjectOutputSerializer, **error_responses(401, 404)})
    def get(self, request: Request, slug: str, pk: int) -> Response:
        return Response(self.render_projects(self.project(slug, pk, write=False)))

    @extend_schema(
        request=ProjectInputSerializer(partial=True),
        responses={200: ProjectOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        """Change fields, hide or show (`hidden`), or replace the linked partners."""
        project = self.project(slug, pk, write=True)
        serializer = ProjectInputSerializer(
            data=request.data, partial=True, context={"user": request.user}
        )
        serializer.is_valid(raise_exception=True)
        services.past_project_update(project=project, **serializer.validated_data)
        return Response(self.render_projects(self.project(slug, pk, write=False)))

    @extend_schema(responses={204: None, **error_responses(401, 403, 404)})
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        services.past_project_delete(project=self.project(slug, pk, write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["projects"])
class ProjectImportApi(ProjectApi):
    """Import projects in the CORDIS layout, all or nothing: a bad file answers 400 with
    every bad row and its field. A project id recorded before is replaced. Participants
    are linked by PIC, else by normalised name + country; the others come back as
    `unresolved` (ambiguous or unknown) for the importer to resolve."""

    @extend_schema(
        request=ImportInputSerializer,
        responses={
            201: ImportOutputSerializer,
            400: ImportErrorSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = _organisation(request, slug, write=True)
        serializer = ImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            records = parse_projects(
                data["content"].encode(), f"import.{data['format']}" if data.get("format") else ""
            )
        except ImportFileError as error:
            return Response(
                {
                    "detail": str(error),
                    "rows": RowProblemSerializer(error.rows, many=True).data,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        report = services.past_projects_import(organisation=organisation, projects=records)
        body = {
            "created": report.created,
            "updated": report.updated,
            "linked": report.linked,
            "unresolved": PartnerSerializer(report.unresolved, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["projects"])
class ProjectPartnerResolveApi(ProjectApi):
    """The importer's decision for a participant an import could not link."""

    @extend_schema(
        request=ResolveInputSerializer,
        responses={200: PartnerSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        organisation = _organisation(request, slug, write=True)
        partner = get_object_or_404(
            ProjectPartner.objects.select_related("project"),
            id=pk,
            project__organisation=organisation,
        )
        serializer = ResolveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = None
        if serializer.validated_data["organisation"] is not None:
            chosen = (
                organisation_list_visible_to(user=request.user)
                .filter(slug=serializer.validated_data["organisation"])
                .first()
            )
            if chosen is None:
                raise serializers.ValidationError(
                    {"organisation": [_("No organisation with this slug.")]}
                )
        partner = services.project_partner_resolve(partner=partner, organisation=chosen)
        return Response(PartnerSerializer(partner).data)


urlpatterns = [
    path("organisations/<slug:slug>/projects/", ProjectListApi.as_view(), name="past-project-list"),
    path(
        "organisations/<slug:slug>/projects/import/",
        ProjectImportApi.as_view(),
        name="past-project-import",
    ),
    path(
        "organisations/<slug:slug>/projects/partners/<int:pk>/",
        ProjectPartnerResolveApi.as_view(),
        name="past-project-partner",
    ),
    path(
        "organisations/<slug:slug>/projects/<int:pk>/",
        ProjectDetailApi.as_view(),
        name="past-project-detail",
    ),
]
