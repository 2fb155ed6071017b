from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kaifaqu.core.views import BusinessView
from kaifaqu.jobs.actions import reap_stale_jobs
from kaifaqu.jobs.clock import SCHEDULE_ZONE
from kaifaqu.jobs.models import Job, Schedule


class JobListView(BusinessView):
    def get(self, request: HttpRequest) -> HttpResponse:
        jobs = Job.objects.restrict(request.user)[:100]
        context = {
            "jobs": jobs,
            "schedules": Schedule.objects.select_related("last_job"),
            "schedule_zone": SCHEDULE_ZONE,
        }
        return render(request, "jobs/job_list.html", context)


class JobDetailView(BusinessView):
    """The job page; an htmx poll gets only the progress fragment, which stops polling when done."""

    def get(self, request: HttpRequest, pk: UUID) -> HttpResponse:
        reap_stale_jobs()
        job = get_object_or_404(Job.objects.restrict(request.user), pk=pk)
        context = {"job": job}
        if request.htmx:
            return render(request, "jobs/includes/progress.html", context)
        return render(request, "jobs/job_detail.html", context)
