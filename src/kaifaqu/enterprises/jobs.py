"""Jobs of the enterprises app: the zone-year summary table (``zones.ZoneYearSummary``), built
from the enterprises' years; here because enterprises build on zones, not the other way round."""

from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from kaifaqu.audit.log import log_bulk
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import JobError, counts, job_kind
from kaifaqu.zones.models import Zone, ZoneYearSummary

SUMMED = (
    "operating_revenue",
    "tax_paid",
    "value_added",
    "land_area_mu",
    "energy_tce",
    "rd_expenditure",
)


UPDATED = ("enterprise_count", "above_scale_count", *SUMMED, "province_code", "refreshed")

SUMMARY_COUNTS = {
    "zones": ("汇总开发区", "个"),
    "rows": ("汇总表行数", "行"),
    "replaced": ("替换旧行", "行"),
}


@job_kind(
    "zone_summaries", "开发区年度汇总表更新", schedulable=True, describe=counts(SUMMARY_COUNTS)
)
def refresh_zone_summaries(job: Job, progress: Progress) -> dict[str, Any]:
    """Recompute the summaries of every zone in the job owner's scope (optionally one province).

    Each zone is read in turn (progress per zone); all rows are written in one transaction at the
    end, so a failure leaves the previous summaries untouched. Rows are upserted on (zone, year),
    not deleted and re-inserted: two refreshes running at once on PostgreSQL would otherwise both
    insert the same key (neither sees the other's rows before it commits). Rows this refresh did
    not write (a year whose enterprise data is gone) are removed after.
    """
    zones = Zone.objects.restrict(job.user, "change").order_by("pk")
    if province := job.params.get("province"):
        zones = zones.filter(province_code=province)
    zone_list = list(zones)
    if not zone_list:
        raise JobError("您的数据范围内没有开发区,无可汇总的数据")
    progress.start(len(zone_list), "开始汇总")
    refreshed = timezone.now()
    rows = []
    for zone in zone_list:
        rows.extend(_zone_rows(zone, refreshed))
        progress.advance(message=f"已汇总:{zone.name}")
    with transaction.atomic():
        current = ZoneYearSummary.objects.filter(zone__in=zone_list)
        replaced = current.count()
        ZoneYearSummary.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["zone", "year"],
            update_fields=[*UPDATED],
        )
        current.exclude(refreshed=refreshed).delete()
        counts = {"zones": len(zone_list), "rows": len(rows), "replaced": replaced}
        log_bulk(ZoneYearSummary, label="开发区年度汇总表更新", counts=counts, acting_user=job.user)
    return counts


def _zone_rows(zone: Zone, refreshed: Any) -> list[ZoneYearSummary]:
    per_year = (
        EnterpriseYear.objects.filter(zone=zone)
        .values("year")
        .annotate(
            enterprise_count=Count("id"),
            above_scale_count=Count("id", filter=Q(above_scale=True)),
            **{name: Sum(name) for name in SUMMED},
        )
        .order_by("year")
    )
    return [
        ZoneYearSummary(zone=zone, province_code=zone.province_code, refreshed=refreshed, **values)
        for values in per_year
    ]
