from pathlib import PurePosixPath
from typing import Any
from uuid import UUID

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kaifaqu.core.downloads import file_download
from kaifaqu.core.views import BusinessView, ObjectListView, is_htmx
from kaifaqu.jobs.actions import reap_stale_jobs
from kaifaqu.jobs.clock import SCHEDULE_ZONE
from kaifaqu.jobs.filtersets import JobFilterSet
from kaifaqu.jobs.models import Job, Schedule
from kaifaqu.jobs.tables import JobTable


class JobListView(ObjectListView):
    """The user's jobs, newest first, and below them the schedules of the periodic jobs."""

    # a row's result links are found as its owner may see them: one query loads the owners, so
    # each owner's scope is read once, not once a row
    queryset = Job.objects.prefetch_related("user")
    filterset_class = JobFilterSet
    table_class = JobTable
    title = "后台任务"
    default_sort = "-created"
    template_name = "jobs/job_list.html"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "schedules": Schedule.objects.select_related("last_job"),
            "schedule_zone": SCHEDULE_ZONE,
        }


class JobDetailView(BusinessView):
    """The job page; an htmx poll gets only the progress fragment, which stops polling when done."""

    def get(self, request: HttpRequest, pk: UUID) -> HttpResponse:
        reap_stale_jobs()
        job = get_object_or_404(Job.objects.restrict(request.user), pk=pk)
        context = {"job": job}
        if is_htmx(request):
            return render(request, "jobs/includes/progress.html", context)
        return render(request, "jobs/job_detail.html", context)


class JobFileView(BusinessView):
    """The file a job wrote (a long list's export), for whoever may see the job."""

    def get(self, request: HttpRequest, pk: UUID) -> FileResponse:
        jobs = Job.objects.restrict(request.user).exclude(result_file="")
        job = get_object_or_404(jobs, pk=pk)
        name = PurePosixPath(job.result_file.name or "").name
        return file_download(job.result_file.open("rb"), name)
