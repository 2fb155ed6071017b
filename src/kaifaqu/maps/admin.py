from django.contrib import admin

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.maps.models import Boundary


@admin.register(Boundary)
class BoundaryAdmin(AuditedModelAdmin):
    list_display = ("region", "source", "updated")
    search_fields = ("region__code", "region__name")
    autocomplete_fields = ("region",)
