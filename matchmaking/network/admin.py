from django.contrib import admin

from matchmaking.network.models import OrganisationPic, PastProject, ProjectPartner


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(PastProject)
class PastProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "acronym", "organisation", "year", "programme", "hidden"]
    list_filter = ["hidden", "year"]
    search_fields = ["title", "acronym", "reference", "organisation__name"]
    inlines = [ProjectPartnerInline]


@admin.register(OrganisationPic)
class OrganisationPicAdmin(admin.ModelAdmin):
    list_display = ["pic", "organisation"]
    search_fields = ["pic", "organisation__name"]
