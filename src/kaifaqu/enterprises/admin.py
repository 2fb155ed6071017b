from django.contrib import admin

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.enterprises.models import Enterprise, EnterpriseEvent, EnterpriseYear


class EnterpriseYearInline(admin.TabularInline[EnterpriseYear, Enterprise]):
    model = EnterpriseYear
    extra = 0
    fields = ("year", "above_scale", "operating_revenue", "tax_paid", "land_area_mu", "energy_tce")
    readonly_fields = fields  # yearly rows are edited on their own page, where writes are logged
    can_delete = False
    max_num = 0
    show_change_link = True


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = ("uscc", "name", "zone", "industry", "status")
    list_filter = ("status", "ownership", "zone")
    search_fields = ("uscc", "name")
    autocomplete_fields = ("zone", "region")
    filter_horizontal = ("tags",)
    list_select_related = ("zone", "industry")
    inlines = (EnterpriseYearInline,)
    show_full_result_count = False


@admin.register(EnterpriseYear)
class EnterpriseYearAdmin(AuditedModelAdmin):
    list_display = ("enterprise", "year", "above_scale", "operating_revenue", "tax_paid")
    list_filter = ("year", "above_scale")
    search_fields = ("enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)
    autocomplete_fields = ("zone",)
    list_select_related = ("enterprise",)
    show_full_result_count = False


@admin.register(EnterpriseEvent)
class EnterpriseEventAdmin(AuditedModelAdmin):
    list_display = ("enterprise", "kind", "date")
    list_filter = ("kind",)
    raw_id_fields = ("enterprise",)
