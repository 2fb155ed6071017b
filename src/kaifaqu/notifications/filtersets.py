import django_filters
from django.db.models import QuerySet

from kaifaqu.notifications.choices import NotificationKind, ReadState
from kaifaqu.notifications.models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=ReadState.choices, method="in_state", label="状态", empty_label="全部"
    )
    kind = django_filters.ChoiceFilter(
        choices=NotificationKind.choices, label="类型", empty_label="全部"
    )

    class Meta:
        model = Notification
        fields = ["state", "kind"]

    def in_state(
        self, queryset: QuerySet[Notification], name: str, value: str
    ) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=value == ReadState.UNREAD)
