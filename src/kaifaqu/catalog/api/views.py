from kaifaqu.api.viewsets import ReferenceViewSet
from kaifaqu.catalog.api import serializers
from kaifaqu.catalog.api.filtersets import IndicatorFilterSet, IndustryFilterSet, RegionFilterSet
from kaifaqu.catalog.models import Indicator, Industry, Region, Tag


class RegionViewSet(ReferenceViewSet):
    """行政区划(GB/T 2260):省、市、县。参考数据,只读。"""

    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ("id", "code")


class IndustryViewSet(ReferenceViewSet):
    """国民经济行业分类(GB/T 4754-2017)的门类与大类。参考数据,只读。"""

    queryset = Industry.objects.all()
    serializer_class = serializers.IndustrySerializer
    filterset_class = IndustryFilterSet
    ordering_fields = ("id", "code")


class TagViewSet(ReferenceViewSet):
    """企业标签库。参考数据,只读。"""

    queryset = Tag.objects.all()
    serializer_class = serializers.TagSerializer
    filterset_fields = ("name",)
    ordering_fields = ("id", "name")


class IndicatorViewSet(ReferenceViewSet):
    """开发区数据指标库:指标代码、单位、口径与方向。参考数据,只读。"""

    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilterSet
    ordering_fields = ("id", "code")
