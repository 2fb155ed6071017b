"""招商 KPIs in the API: each zone of the caller's scope with its figures for a year, computed
set-wise for the whole page of zones at once over the projects the caller sees."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.investment import kpi_report, kpis
from kaifaqu.investment.models import Project
from kaifaqu.zones.models import Zone

FIRST_YEAR = 2000
YEAR = OpenApiParameter(
    "year", OpenApiTypes.INT, description=f"年度({FIRST_YEAR} 至今年;默认今年,截至今天)"
)


class FigureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(help_text="指标代码")
    name = serializers.CharField(help_text="指标名称")
    unit = serializers.CharField(help_text="单位:% 或 个")
    value = serializers.FloatField(allow_null=True, help_text="指标值;分母为 0 时为空")
    numerator = serializers.FloatField(allow_null=True, help_text="分子(项目数)")
    denominator = serializers.FloatField(allow_null=True, help_text="分母(项目数)")
    target = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="目标值(本区本年目标,否则为政策标准)",
    )
    definition = serializers.CharField(help_text="口径")


ZONE_FIELDS_SERVED = ["id", "code", "name"]


class ZoneKpiSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A zone's 招商 KPIs; the zone's own facts are the zones resource's."""

    withheld: ClassVar[dict[str, str]] = {
        field.name: "the zone's own facts are served by the zones resource"
        for field in Zone._meta.get_fields()
        if field.concrete and field.name not in ZONE_FIELDS_SERVED
    }
    year = serializers.SerializerMethodField(help_text="年度")
    projects = serializers.SerializerMethodField(help_text="项目数")
    weighted_pipeline = serializers.SerializerMethodField(help_text="加权项目储备(万元)")
    figures = serializers.SerializerMethodField(help_text="各项指标;本年度无项目时为空")

    class Meta:
        model = Zone
        fields = [*ZONE_FIELDS_SERVED, "year", "projects", "weighted_pipeline", "figures"]

    def _group(self, zone: Zone) -> kpi_report.Group | None:
        found: dict[int, kpi_report.Group] = self.context["groups"]
        return found.get(zone.pk)

    def get_year(self, zone: Zone) -> int:
        period: kpis.Period = self.context["period"]
        return period.plan_year

    def get_projects(self, zone: Zone) -> int:
        group = self._group(zone)
        return group.projects if group else 0

    def get_weighted_pipeline(self, zone: Zone) -> float:
        group = self._group(zone)
        return round(group.weighted_pipeline, 2) if group else 0.0

    @extend_schema_field(FigureSerializer(many=True))
    def get_figures(self, zone: Zone) -> list[dict[str, Any]]:
        group = self._group(zone)
        rows = [
            {
                "code": f.code,
                "name": f.label,
                "unit": f.unit,
                "value": f.value,
                "numerator": f.parts.get("num", f.parts.get("count")),
                "denominator": f.parts.get("den"),
                "target": f.target,
                "definition": f.definition,
            }
            for f in (group.figures if group else [])
        ]
        return list(FigureSerializer(rows, many=True).data)  # the schema's types: a target as text


@extend_schema_view(
    list=extend_schema(parameters=[YEAR]), retrieve=extend_schema(parameters=[YEAR])
)
class ZoneKpiViewSet(ScopedReadViewSet):
    """招商指标:您数据范围内每个开发区某年度的签约转化率、主导产业签约占比、当年签约当年开工率等
    指标,含分子分母与目标;只计您可见的项目。"""

    queryset = Zone.objects.all()
    serializer_class = ZoneKpiSerializer
    ordering_fields = ("id", "code")

    def period(self) -> kpis.Period:
        today = timezone.localdate()
        raw = self.request.query_params.get("year", "")
        try:
            year = int(raw) if raw else today.year
        except ValueError:
            raise ValidationError({"year": "年度须为整数"}) from None
        if not FIRST_YEAR <= year <= today.year:
            raise ValidationError({"year": f"年度须在 {FIRST_YEAR} 至 {today.year} 之间"})
        return kpis.Period.year(year, today)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema reads the fields only
            return ZoneKpiSerializer(*args, **kwargs)
        instance = args[0] if args else None
        zones = [instance] if isinstance(instance, Zone) else list(instance or [])
        period = self.period()
        projects = Project.objects.restrict(self.request.user).filter(zone__in=zones)
        data = kpis.compute(projects, period)
        groups = {g.key: g for g in kpi_report.groups(data, period, "zone")}
        context = {**self.get_serializer_context(), "period": period, "groups": groups}
        return ZoneKpiSerializer(*args, **kwargs, context=context)
