import django_filters

from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.models import ObjectChange


class ObjectChangeFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label="用户")
    action = django_filters.ChoiceFilter(
        choices=ChangeAction.choices, label="操作", empty_label="全部"
    )
    request_id = django_filters.UUIDFilter(label="请求编号")
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label="起始日期")
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = ObjectChange
        fields = ["username", "action", "request_id", "since", "until"]
