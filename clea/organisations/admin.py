from django.contrib import admin

from clea.organisations.models import Habilitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "is_active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "prescriber_type", "siret", "commune", "is_active"]
    list_filter = ["kind", "prescriber_type", "is_active"]
    search_fields = ["name", "siret"]
    autocomplete_fields = ["commune"]
    inlines = [MembershipInline]
    list_select_related = ["commune"]


@admin.register(Habilitation)
class HabilitationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "certification", "valid_from", "valid_until", "withdrawn_at"]
    list_filter = ["certification", "regions"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_by", "withdrawn_by"]
    list_select_related = ["organisation", "certification"]
