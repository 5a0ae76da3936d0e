"""Staff manage everything here; the pages and the API apply the visibility rule even to
staff (docs/permissions.md), so this is the one place with a full view."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    ProgrammeManager,
    Region,
    User,
)


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class MembershipOfUserInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login"]
    inlines = [MembershipOfUserInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        """Memberships are added once the user exists, as in Django's two-step user form."""
        return self.inlines if obj is not None else []


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "role", "invited_by", "created_at", "accepted_at"]
    readonly_fields = ["invited_by", "created_at", "accepted_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "region", "city", "visibility", "created_at"]
    list_filter = ["kind", "visibility", "country", "size_band"]
    search_fields = ["name", "slug", "city", "description"]
    autocomplete_fields = ["region"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline, InvitationInline]
    date_hierarchy = "created_at"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "invited_by", "created_at", "accepted_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["token", "invited_by", "created_at", "accepted_at"]
    list_select_related = ["organisation", "invited_by"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """The NUTS-2 list is refilled from accounts/data after every migrate, so edits here
    would be overwritten; it is read-only."""

    list_display = ["code", "name", "country", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgrammeManager)
class ProgrammeManagerAdmin(admin.ModelAdmin):
    """Staff grant the regional dashboard here: one row per person and area."""

    list_display = ["user", "country", "region", "granted_by", "created_at"]
    list_filter = ["country"]
    search_fields = ["user__email", "region__code", "region__name"]
    autocomplete_fields = ["user", "region"]
    readonly_fields = ["granted_by", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
