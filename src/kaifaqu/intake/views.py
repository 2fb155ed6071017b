from itertools import islice
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from kaifaqu.core.downloads import CSV, XLSX, download_response, streaming_download
from kaifaqu.core.exports import export_response
from kaifaqu.core.uploads import upload_refusal
from kaifaqu.core.views import BusinessView, ObjectListView, is_htmx
from kaifaqu.intake.actions import (
    Outcome,
    UndoRefused,
    analyse,
    request_commit,
    request_undo,
    upload_batch,
)
from kaifaqu.intake.choices import BatchState, ImportKind
from kaifaqu.intake.exports import EXPORT_KINDS, export_queryset, list_queryset
from kaifaqu.intake.filtersets import ImportBatchFilterSet
from kaifaqu.intake.forms import CommitForm, ExportFormatForm, ProblemPageForm, UploadForm
from kaifaqu.intake.importers import IMPORTERS
from kaifaqu.intake.models import ImportBatch
from kaifaqu.intake.preview import CHANGE_COLUMNS, PREVIEW_ROWS, change_lines, planned_changes
from kaifaqu.intake.report import PROBLEMS_PER_PAGE, problem_download
from kaifaqu.intake.tables import ImportBatchTable
from kaifaqu.intake.template import template_workbook
from kaifaqu.jobs.actions import enqueue_job
from kaifaqu.jobs.models import Job
from kaifaqu.spreadsheets.writing import to_csv, to_xlsx


class ImportView(BusinessView):
    """Upload a file; it is validated in the background and shown as a preview."""

    required_action = "change"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        refusal = upload_refusal(request)
        form = UploadForm(request.POST, request.FILES)
        if refusal is not None:
            form.is_valid()
            form.errors["file"] = form.error_class([refusal])
            return self._render(request, form, status=413)
        if not form.is_valid():
            return self._render(request, form)
        upload = form.cleaned_data["file"]
        batch = upload_batch(
            upload.read(),
            upload.name,
            form.cleaned_data["kind"],
            acting_user=request.user,
            policy=form.cleaned_data["policy"],
            money_unit=form.cleaned_data["money_unit"],
        )
        return redirect("intake:batch", pk=batch.pk)

    def _render(self, request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "kinds": ImportKind.choices}
        return render(request, "intake/import.html", context, status=status)


class BatchListView(ObjectListView):
    """The user's imports (an import belongs to its uploader)."""

    # the problems (up to thousands per batch) are read on the batch's own page only
    queryset = ImportBatch.objects.defer("problems")
    filterset_class = ImportBatchFilterSet
    table_class = ImportBatchTable
    title = "导入记录"
    default_sort = "-created"


def _batch_page(request: HttpRequest, batch: ImportBatch, **extra: Any) -> dict[str, Any]:
    """What the batch page shows: the batch, its latest job (validation, import, then undo; jobs
    are ordered newest first), a page of its problems and the commit form."""
    job = Job.objects.restrict(request.user).filter(params__batch=batch.pk).first()
    number = ProblemPageForm(request.GET).number()
    problems = Paginator(batch.problems, PROBLEMS_PER_PAGE).get_page(number)
    return {
        "batch": batch,
        "job": job,
        "problems": problems.object_list,
        "problem_page": problems,
        "commit_form": CommitForm(initial={"policy": batch.policy}),
        **extra,
    }


class BatchView(BusinessView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk)
        context = _batch_page(request, batch)
        if is_htmx(request):
            return render(request, "intake/includes/batch_state.html", context)
        return render(request, "intake/batch.html", context)


class CommitView(BusinessView):
    required_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(
            ImportBatch.objects.restrict(request.user).filter(state=BatchState.VALIDATED), pk=pk
        )
        form = CommitForm(request.POST)
        if form.is_valid():
            request_commit(batch, policy=form.cleaned_data["policy"], acting_user=request.user)
        return redirect("intake:batch", pk=batch.pk)


class UndoView(BusinessView):
    """GET asks for confirmation, saying what the undo will remove and restore; POST queues it.
    Undo runs as a job (a large batch takes longer than a request may); its refusal (a later
    write touched the batch's objects) is the job's error, shown on the batch page."""

    required_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batches = ImportBatch.objects.restrict(request.user).filter(state=BatchState.COMMITTED)
        batch = get_object_or_404(batches, pk=pk)
        return render(request, "intake/undo_confirm.html", {"batch": batch})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk)
        try:
            request_undo(batch, acting_user=request.user)
        except UndoRefused as refusal:
            context = _batch_page(request, batch, refusal=str(refusal))
            return render(request, "intake/batch.html", context)
        return redirect("intake:batch", pk=batch.pk)


def _preview(request: HttpRequest, pk: int) -> tuple[ImportBatch, Outcome | None]:
    """A validated batch in the user's scope, planned again from its file; no outcome when the
    file is gone (the nightly cleanup discards files of batches left uncommitted)."""
    batches = ImportBatch.objects.restrict(request.user).filter(state=BatchState.VALIDATED)
    batch = get_object_or_404(batches, pk=pk)
    try:
        return batch, analyse(batch)
    except OSError:
        return batch, None


class ChangesView(BusinessView):
    """The preview before committing: the first ``PREVIEW_ROWS`` objects the commit would insert
    or change and the fields it would write; every one in the download."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch, outcome = _preview(request, pk)
        rows = []
        if outcome is not None and outcome.plan is not None:
            rows = list(islice(planned_changes(outcome.importer, outcome.plan), PREVIEW_ROWS))
        context = {
            "batch": batch,
            "rows": rows,
            "file_gone": outcome is None,
            "changed": batch.counts.get("insert", 0) + batch.counts.get("update", 0),
            "shown": PREVIEW_ROWS,
        }
        return render(request, "intake/changes.html", context)


class ChangesExportView(BusinessView):
    """Every change the commit would make, one row per field, as xlsx."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        batch, outcome = _preview(request, pk)
        if outcome is None or outcome.plan is None:
            raise Http404("上传的文件已清理或未通过校验,无法列出变更")
        lines = change_lines(planned_changes(outcome.importer, outcome.plan))
        return export_response("xlsx", f"{batch.file_name}-拟导入变更", CHANGE_COLUMNS, lines)


class ReportView(BusinessView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk)
        return problem_download(batch)


class TemplateView(BusinessView):
    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in IMPORTERS:
            return HttpResponse(status=404)
        spec = IMPORTERS[kind](request.user).spec()
        workbook = template_workbook(spec, request.user)
        return download_response(workbook, f"{spec.sheet}导入模板.xlsx", XLSX)


class ExportView(BusinessView):
    """A list with its current filters, within the user's scope, as xlsx or CSV.

    A list longer than ``KAIFAQU_EXPORT_ROWS_INLINE`` rows is written by a background job: the
    user follows its progress on the job page and downloads the file from there.
    """

    def get(self, request: HttpRequest, kind: str) -> HttpResponseBase:
        if kind not in EXPORT_KINDS:
            return HttpResponse(status=404)
        queryset = list_queryset(kind, request)
        if queryset.count() > settings.KAIFAQU_EXPORT_ROWS_INLINE:
            params = {"kind": kind, "query": request.GET.urlencode()}
            job = enqueue_job("list_export", params, acting_user=request.user)
            return redirect("jobs:job", pk=job.pk)
        spec, rows = export_queryset(kind, queryset)
        if ExportFormatForm(request.GET).chosen() == "csv":
            return streaming_download(to_csv(spec, rows), f"{spec.sheet}.csv", CSV)
        return download_response(to_xlsx(spec, rows), f"{spec.sheet}.xlsx", XLSX)
