from kaifaqu.core.views import ObjectDetailView, ObjectListView
from kaifaqu.publications.filtersets import PublicationFilterSet
from kaifaqu.publications.models import Publication
from kaifaqu.publications.tables import PublicationTable


class PublicationListView(ObjectListView):
    # a published list's rows stay in the database until the publication itself is opened
    queryset = Publication.objects.defer("rows", "columns")
    filterset_class = PublicationFilterSet
    table_class = PublicationTable
    title = "公开发布"
    default_sort = "-published"


class PublicationDetailView(ObjectDetailView):
    queryset = Publication.objects.all()
    template_name = "publications/publication_detail.html"
