"""What a publication shows through the API: only the columns it grants, never a row's rest."""

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kaifaqu.publications.models import Publication

COLUMNS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"key": {"type": "string"}, "label": {"type": "string"}},
        "required": ["key", "label"],
    },
}
ROWS_SCHEMA = {"type": "array", "items": {"type": "array", "items": {}}}


class PublicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A published list as the list shows it: what it is and which columns it grants."""

    columns = serializers.SerializerMethodField(help_text="公开字段(键与名称),按行内各值的顺序")

    class Meta:
        model = Publication
        fields = ["id", "title", "kind", "published", "columns"]
        read_only_fields = fields

    @extend_schema_field(COLUMNS_SCHEMA)
    def get_columns(self, publication: Publication) -> list[dict[str, str]]:
        return [{"key": key, "label": label} for key, label in publication.columns]


class PublicationDetailSerializer(PublicationSerializer):
    """A published list with its rows, each reduced to the granted columns."""

    withheld: ClassVar[dict[str, str]] = {
        "state": "only published lists are served",
        "author": "users are not a resource of this API",
        "author_region": "the office's own record, for the pages",
        "author_zone": "the office's own record, for the pages",
        "audience_roles": "who may see it decides whether it is served, not what it shows",
        "audience_regions": "who may see it decides whether it is served, not what it shows",
    }

    rows = serializers.SerializerMethodField(help_text="各行的公开字段值,顺序同 columns")

    class Meta(PublicationSerializer.Meta):
        fields = [*PublicationSerializer.Meta.fields, "rows"]
        read_only_fields = fields

    @extend_schema_field(ROWS_SCHEMA)
    def get_rows(self, publication: Publication) -> list[list[Any]]:
        return publication.visible_rows()
