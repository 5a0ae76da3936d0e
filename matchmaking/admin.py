"""Staff manage needs and capabilities here. Saves and deletes go through the same
services as the pages (matchmaking.services, the staff variants: staff are not members),
so the language is detected and embeddings and matches refresh after an admin edit too."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from matchmaking import services
from matchmaking.models import Capability, Need, Posting
from matchmaking.taxonomy import CollaborationType, Domain, Sovereignty, Technique


def _checkboxes(label: str, choices: list) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


class PostingAdminForm(forms.ModelForm):
    """Checkbox groups instead of comma-separated text for the taxonomy lists."""

    techniques = _checkboxes(_("AI techniques"), Technique.choices)
    domains = _checkboxes(_("application domains"), Domain.choices)
    collaboration_types = _checkboxes(_("collaboration types"), CollaborationType.choices)
    sovereignty = _checkboxes(_("sovereignty requirements"), Sovereignty.choices)


class _ArrayContainsFilter(admin.SimpleListFilter):
    field: str
    vocabulary: type

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return self.vocabulary.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(**{f"{self.field}__contains": [self.value()]})
        return queryset


class TechniqueFilter(_ArrayContainsFilter):
    title = _("AI technique")
    parameter_name = "technique"
    field = "techniques"
    vocabulary = Technique


class DomainFilter(_ArrayContainsFilter):
    title = _("application domain")
    parameter_name = "domain"
    field = "domains"
    vocabulary = Domain


class PostingAdmin(admin.ModelAdmin):
    form = PostingAdminForm
    list_display = [
        "title",
        "organisation",
        "trl",
        "status",
        "visibility",
        "language",
        "created_at",
    ]
    list_editable = ["status", "visibility"]
    list_filter = [
        "status",
        "visibility",
        "language",
        "organisation__kind",
        "region_scope",
        TechniqueFilter,
        DomainFilter,
    ]
    list_select_related = ["organisation"]
    search_fields = ["title", "description", "organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["author"]
    readonly_fields = ["language", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("organisation", "author", "title", "description", "language")}),
        (_("Topics"), {"fields": ("trl", "techniques", "domains")}),
        (
            _("Collaboration"),
            {
                "fields": (
                    "collaboration_types",
                    "sovereignty",
                    "region_scope",
                    "budget_band",
                    "deadline",
                )
            },
        ),
        (_("Status"), {"fields": ("status", "visibility", "created_at", "updated_at")}),
    )

    def save_model(self, request: HttpRequest, obj: Posting, form, change: bool) -> None:
        services.posting_save_by_staff(posting=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: Posting) -> None:
        services.posting_delete_by_staff(posting=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for posting in queryset:
            services.posting_delete_by_staff(posting=posting, actor=request.user)


@admin.register(Need)
class NeedAdmin(PostingAdmin):
    pass


@admin.register(Capability)
class CapabilityAdmin(PostingAdmin):
    pass
