import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django_tables2.utils import A

from kaifaqu.jobs.models import Job


class JobTable(tables.Table):
    label = tables.Column(verbose_name="任务", accessor="kind", linkify=("jobs:job", [A("pk")]))
    state = tables.Column(verbose_name="状态", orderable=True)
    progress = tables.Column(verbose_name="进度", accessor="done", empty_values=())
    created = tables.DateTimeColumn(verbose_name="提交时间", format="Y-m-d H:i", orderable=True)
    finished = tables.DateTimeColumn(verbose_name="结束时间", format="Y-m-d H:i", orderable=True)
    results = tables.Column(
        verbose_name="结果", accessor="pk", empty_values=(), exclude_from_export=True
    )

    class Meta:
        model = Job
        fields = ("label", "state", "progress", "created", "finished", "results")
        orderable = False

    def render_label(self, record: Job) -> str:
        return record.label

    def render_state(self, record: Job) -> SafeString:
        return format_html(
            '<span class="state-{}">{}</span>', record.state, record.get_state_display()
        )

    def render_progress(self, record: Job) -> str:
        return f"{record.done} / {record.total}" if record.total else ""

    def render_results(self, record: Job) -> SafeString:
        """The job's result links, as its own page gives them (the ranking, the report's
        downloads, the import batch, the file it wrote)."""
        return format_html_join(
            " ",
            '<a href="{}" title="{}">{}</a>',
            ((f.url, f.text, f.label) for f in record.result_links),
        )
