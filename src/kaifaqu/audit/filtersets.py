import django_filters

from kaifaqu.audit.choices import ChangeAction, SecurityEventKind
from kaifaqu.audit.models import DomainEvent, ObjectChange, SecurityEvent


class ObjectChangeFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label="用户")
    object = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label="对象"
    )
    action = django_filters.ChoiceFilter(
        choices=ChangeAction.choices, label="操作", empty_label="全部"
    )
    request_id = django_filters.UUIDFilter(label="请求编号")
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label="起始日期")
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = ObjectChange
        fields = ["username", "object", "action", "request_id", "since", "until"]


class SecurityEventFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label="用户")
    kind = django_filters.ChoiceFilter(
        choices=SecurityEventKind.choices, label="事件", empty_label="全部"
    )
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label="起始日期")
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = SecurityEvent
        fields = ["username", "kind", "since", "until"]


class DomainEventFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label="用户")
    summary = django_filters.CharFilter(lookup_expr="icontains", label="摘要")
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label="起始日期")
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = DomainEvent
        fields = ["username", "summary", "since", "until"]
