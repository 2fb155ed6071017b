import django_filters

from kaifaqu.servicerequests.choices import Category, Channel, Rating
from kaifaqu.servicerequests.models import ServiceRequest


class ServiceRequestFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label="诉求类别")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="渠道")
    rating = django_filters.ChoiceFilter(choices=Rating.choices, label="评价")
    number = django_filters.CharFilter(field_name="item__number", label="督办编号")

    class Meta:
        model = ServiceRequest
        fields = {
            "enterprise": ["exact"],
            "zone": ["exact"],
            "source": ["exact"],
            "external_ref": ["exact"],
            "filed": ["gte", "lte"],
        }
