import django_filters
from django.db.models import QuerySet

from kaifaqu.notifications.choices import NotificationKind
from kaifaqu.notifications.models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label="类型")
    unread = django_filters.BooleanFilter(method="only_unread", label="仅未读")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]

    def only_unread(
        self, queryset: QuerySet[Notification], name: str, value: bool
    ) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=value)
