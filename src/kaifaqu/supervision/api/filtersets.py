import django_filters

from kaifaqu.supervision.choices import ItemState, Level, Light, LogKind
from kaifaqu.supervision.models import LogEntry, SupervisedItem


class SupervisedItemFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__code", label="类型(编号前缀)")
    state = django_filters.ChoiceFilter(choices=ItemState.choices, label="状态")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="层级")
    light = django_filters.ChoiceFilter(choices=Light.choices, label="亮灯")

    class Meta:
        model = SupervisedItem
        fields = {
            "number": ["exact"],
            "lead_unit": ["exact"],
            "on_board": ["exact"],
            "deadline": ["gte", "lte"],
            "year": ["exact"],
        }


class LogEntryFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=LogKind.choices, label="类别")

    class Meta:
        model = LogEntry
        fields = {"item": ["exact"], "time": ["gte", "lte"]}
