"""The base serializer of writable registry models: writes go through the audited actions."""

from typing import Any, ClassVar

from django.db.models import Manager, Model, QuerySet
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

from kaifaqu.audit.writes import audited_save
from kaifaqu.core.scoped import restricted


class AuditedModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Validates the request; the write itself is ``audited_save``.

    So an API write is exactly a UI write: one transaction, the model's ``full_clean``, the scope
    re-checked after saving and one change-log row. Related objects offered for a write are
    restricted to those the caller may change, so a reference outside the scope is "does not
    exist", never a name from another zone.
    """

    m2m_fields: ClassVar[tuple[str, ...]] = ()

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            for field in fields.values():
                related = field.child_relation if isinstance(field, ManyRelatedField) else field
                queryset = getattr(related, "queryset", None)
                if isinstance(queryset, Manager):
                    queryset = queryset.all()
                scoped = isinstance(queryset, QuerySet) and hasattr(queryset, "restrict")
                if isinstance(related, RelatedField) and scoped:
                    # DRF's stubs type this attribute as a Manager too, which mypy reads as a
                    # descriptor on the field instance.
                    related.queryset = restricted(queryset, request.user, "change")  # type: ignore[arg-type]
        return fields

    def create(self, validated_data: dict[str, Any]) -> Model:
        m2m = self._pop_m2m(validated_data)
        model: type[Model] = self.Meta.model
        instance = model(**validated_data)
        return audited_save(instance, acting_user=self.context["request"].user, m2m=m2m)

    def update(self, instance: Model, validated_data: dict[str, Any]) -> Model:
        m2m = self._pop_m2m(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return audited_save(instance, acting_user=self.context["request"].user, m2m=m2m)

    def _pop_m2m(self, validated_data: dict[str, Any]) -> dict[str, Any]:
        names = [name for name in self.m2m_fields if name in validated_data]
        return {name: validated_data.pop(name) for name in names}
