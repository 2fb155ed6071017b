from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kaifaqu.core.views import BusinessView
from kaifaqu.publications.models import Publication


class PublicationListView(BusinessView):
    def get(self, request: HttpRequest) -> HttpResponse:
        publications = Publication.objects.restrict(request.user)[:200]
        return render(request, "publications/publication_list.html", {"publications": publications})


class PublicationDetailView(BusinessView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        publication = get_object_or_404(Publication.objects.restrict(request.user), pk=pk)
        return render(request, "publications/publication_detail.html", {"object": publication})
