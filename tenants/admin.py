from django import forms
from django.contrib import admin
from django.contrib.gis.db.models import PointField

from tenants.models import Domain, StandbySchema, Territory


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "kind", "is_primary", "is_verified", "verified_at"]
    readonly_fields = ["verified_at"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "default_language", "status", "created_at"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug", "schema_name", "created_at", "updated_at"]
    inlines = [DomainInline]
    # The map centre as text (SRID=4326;POINT (lon lat)): GeoDjango's map widget is an
    # inline script loading OpenLayers from a CDN, which the Content-Security-Policy
    # (and the offline machines) refuse.
    formfield_overrides = {PointField: {"widget": forms.TextInput(attrs={"size": 50})}}

    def has_add_permission(self, request: object) -> bool:
        # Territories are created by provisioning (schema, domain and admin together).
        return False


@admin.register(StandbySchema)
class StandbySchemaAdmin(admin.ModelAdmin):
    """Read-only view of the provisioning pool (tenants.pool manages it)."""

    list_display = ["name", "state", "created_at", "migrated_at"]
    list_filter = ["state"]
    readonly_fields = ["name", "state", "fingerprint", "created_at", "migrated_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
