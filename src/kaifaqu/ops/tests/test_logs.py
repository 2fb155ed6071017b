"""One JSON line per request and per job, carrying the request id the change log stores."""

import json
import logging
from collections.abc import Iterator

import pytest
from django.urls import reverse

from kaifaqu.audit.models import ObjectChange
from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.ops.logs import JsonFormatter

pytestmark = pytest.mark.django_db


class Lines(logging.Handler):
    """The lines the JSON handler writes to stdout, parsed back."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def logged() -> Iterator[list[dict]]:
    handler = Lines()
    loggers = [logging.getLogger(name) for name in ("kaifaqu.requests", "kaifaqu.jobs.runs")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_requests_line_carries_the_request_id_of_its_change_log_row(
    zone_client, province, zone_user, logged
):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    form = {
        "name": "东城纺织集团有限公司",
        "industry": enterprise.industry_id,
        "status": enterprise.status,
        "ownership": enterprise.ownership,
        "tags": [tag.pk for tag in enterprise.tags.all()],
    }

    zone_client.post(url, form)

    change = ObjectChange.objects.get()
    [line] = logged
    assert line.pop("time").endswith("+00:00")
    assert line.pop("duration_ms") > 0
    assert line == {
        "level": "INFO",
        "logger": "kaifaqu.requests",
        "kind": "request",
        "user_id": zone_user.pk,
        "role": "zone_analyst",
        "request_id": str(change.request_id),
        "method": "POST",
        "path": url,
        "status": 302,
    }


def test_a_jobs_line_names_its_owner_request_id_and_outcome(province, province_analyst, logged):
    job, _ = create_job("zone_summaries", {}, acting_user=province_analyst)

    run_job(job)

    [line] = logged
    assert (line["kind"], line["job_id"], line["request_id"]) == (
        "job",
        str(job.pk),
        str(job.request_id),
    )
    assert (line["user_id"], line["role"], line["path"]) == (
        province_analyst.pk,
        "province_analyst",
        "job:zone_summaries",
    )
    assert (line["status"], line["channel"]) == ("succeeded", "job")
    assert line["duration_ms"] > 0


def test_an_anonymous_request_is_logged_without_a_user(client, logged):
    client.get("/healthz")

    [line] = logged
    assert (line["user_id"], line["role"], line["path"], line["status"]) == (
        None,
        "",
        "/healthz",
        200,
    )
