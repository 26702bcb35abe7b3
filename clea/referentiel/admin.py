from django.contrib import admin

from clea.referentiel.models import Certification, ReferentielVersion, RuleProfile


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "certifier_name"]


class RuleProfileInline(admin.StackedInline):
    model = RuleProfile
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft


@admin.register(ReferentielVersion)
class ReferentielVersionAdmin(admin.ModelAdmin):
    """Read-only once in force: status changes go through the certifier's screens (recorded)."""

    list_display = ["certification", "number", "label", "status", "provisional", "activated_at"]
    list_filter = ["certification", "status"]
    readonly_fields = [
        "certification",
        "number",
        "status",
        "created_at",
        "created_by",
        "activated_at",
        "activated_by",
        "archived_at",
        "archived_by",
    ]
    inlines = [RuleProfileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft
