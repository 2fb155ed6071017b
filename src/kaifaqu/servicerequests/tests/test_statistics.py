"""The 动态清零 statistics page on a hand-made set with known answers, and its drill-down."""

import html
import re
from datetime import date
from typing import Any

import pytest
import time_machine

from kaifaqu.servicerequests import actions
from kaifaqu.servicerequests.models import ServiceRequest

pytestmark = pytest.mark.django_db


def at(day: str) -> Any:
    return time_machine.travel(f"{day} 10:00 +08:00", tick=False)


def fresh(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest._base_manager.select_related("item").get(pk=request.pk)


@pytest.fixture
def december(world: dict[str, Any]) -> dict[str, ServiceRequest]:
    """水电气 requests (简单: 3 working days) of the east zone's textile firm, dispatched the day
    they are filed, and one hotline request of the west zone never dispatched:

    - r1 filed 12/1 (deadline 12/4), replied 12/2, 满意;
    - r2 filed 12/1, signed for, never replied: overdue;
    - r3 filed 12/1, replied late 12/10, 不满意 → 重办, replied 12/11, 不满意 again → dispatched
      anew 12/12 (deadline 12/17), replied 12/15: closed on time, rated 不满意;
    - r4 filed 12/1, replied 12/2, never rated: closed automatically on 12/9;
    - r5 filed 11/20 (deadline 11/25), replied late 12/3, 满意;
    - r6 filed and closed in November;
    - w1 filed 12/5 by the west city's hotline (deadline 12/10), never dispatched: overdue.
    """
    users, tax = world["users"], world["units"]["tax"]
    firm, dispatcher, clerk = users["firm"], users["dispatcher"], users["clerk"]

    def opened(day: str) -> ServiceRequest:
        with at(day):
            request = actions.file_request(
                category="utilities", description=f"{day} 用电问题", acting_user=firm
            )
            actions.dispatch(request, lead_unit=tax, acting_user=dispatcher)
            actions.accept(fresh(request), acting_user=clerk)
        return request

    def replied(request: ServiceRequest, day: str, rating: str = "", *, by: Any = clerk) -> None:
        with at(day):
            actions.reply(fresh(request), text="已办理", acting_user=by)
            if rating:
                actions.rate(fresh(request), rating=rating, note="意见", acting_user=firm)

    r6 = opened("2025-11-03")
    replied(r6, "2025-11-04", "satisfied")
    r5 = opened("2025-11-20")
    r1, r2, r3, r4 = (opened("2025-12-01") for _ in range(4))
    replied(r1, "2025-12-02", "satisfied")
    replied(r4, "2025-12-02")
    replied(r5, "2025-12-03", "satisfied")
    replied(r3, "2025-12-10", "unsatisfied")
    replied(r3, "2025-12-11", "unsatisfied")
    with at("2025-12-12"):
        actions.dispatch(fresh(r3), lead_unit=tax, acting_user=dispatcher)
        actions.accept(fresh(r3), acting_user=clerk)
    replied(r3, "2025-12-15")
    assert actions.auto_close(acting_user=None, today=date(2025, 12, 9)) == 1
    with at("2025-12-05"):
        w1, _ = actions.register_call(
            category="utilities", description="停水", caller_name="赵六", caller_phone="1",
            zone=world["zones"]["west"], acting_user=users["west"],
        )  # fmt: skip
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5, "r6": r6, "w1": w1}


def figures(row: Any) -> tuple[Any, ...]:
    f = row.figures
    return (
        row.label, f.received, f.closed, f.closed_on_time, f.overdue, f.cleared,
        f.median_working_days, row.rated, row.satisfied,
    )  # fmt: skip


DECEMBER = {"start": "2025-12-01", "end": "2025-12-31"}


def test_the_figures_by_zone_on_a_hand_made_set(client, world, december):
    client.force_login(world["users"]["province"])
    response = client.get("/requests/statistics/", {**DECEMBER, "group": "zone"})
    assert response.status_code == 200
    rows = response.context["rows"]
    # east: closed r1, r3, r4, r5 (r5 late); working days 1, 10, 1, 9 → median 5
    assert [figures(row) for row in rows] == [
        ("东城经济技术开发区", 4, 4, 3, 1, 3, 5.0, 3, 2),
        ("西城经济开发区", 1, 0, 0, 1, 0, None, 0, 0),
    ]
    east, total = rows[0], response.context["total"]
    assert (east.figures.on_time_rate, east.figures.clearing_rate) == (0.75, 0.75)
    assert east.satisfaction_rate == pytest.approx(2 / 3)
    assert figures(total) == ("合计", 5, 4, 3, 2, 3, 5.0, 3, 2)
    body = response.content.decode()
    assert "75.0%" in body
    assert "66.7%" in body
    # a chart per zone, by month
    assert [c["title"] for c in response.context["charts"]] == [
        "东城经济技术开发区:诉求逐月受理、办结与逾期",
        "西城经济开发区:诉求逐月受理、办结与逾期",
    ]


def test_every_figure_links_to_its_requests(client, world, december):
    client.force_login(world["users"]["province"])
    response = client.get("/requests/statistics/", {**DECEMBER, "group": "zone"})
    east = response.context["rows"][0]
    expected = {
        "received": {"r1", "r2", "r3", "r4"},
        "closed": {"r1", "r3", "r4", "r5"},
        "closed_on_time": {"r1", "r3", "r4"},
        "overdue": {"r2"},
        "cleared": {"r1", "r3", "r4"},
        "rated": {"r1", "r3", "r5"},
    }
    names = {r.pk: key for key, r in december.items()}
    for figure, keys in expected.items():
        listed = client.get(east.links[figure])
        assert listed.status_code == 200
        assert {names[r.pk] for r in listed.context["page"].rows} == keys, figure


def test_by_category_and_by_unit_in_a_city_analysts_scope(client, world, december):
    client.force_login(world["users"]["west"])
    response = client.get("/requests/statistics/", {**DECEMBER, "group": "category"})
    assert [figures(row) for row in response.context["rows"]] == [
        ("水电气", 1, 0, 0, 1, 0, None, 0, 0)
    ]
    client.force_login(world["users"]["dispatcher"])
    response = client.get("/requests/statistics/", {**DECEMBER, "group": "lead_unit"})
    assert [figures(row) for row in response.context["rows"]] == [
        ("东城市税务局", 4, 4, 3, 1, 3, 5.0, 3, 2)
    ]


def kpi(body: str, testid: str) -> tuple[str, str]:
    """The link and the figure of one of the 驾驶舱 panel's figures."""
    found = re.search(rf'<a href="([^"]+)" data-testid="{testid}"[^>]*>([^<]+)</a>', body)
    assert found is not None, testid
    return html.unescape(found.group(1)), found.group(2)


def test_the_cockpit_panel_shows_the_year_of_the_users_scope(client, world, december):
    names = {r.pk: key for key, r in december.items()}
    client.force_login(world["users"]["dispatcher"])  # the east city: not the west's w1
    with at("2025-12-31"):
        body = client.get("/").content.decode()
        # r1–r6 received; closed r1, r3, r4, r5, r6, on time but r5; r2 overdue now; rated r1,
        # r3 (不满意), r5, r6
        figures = {
            testid: kpi(body, f"requests-{testid}")
            for testid in ("received", "on-time", "overdue", "satisfaction")
        }
        assert {testid: shown for testid, (_, shown) in figures.items()} == {
            "received": "6", "on-time": "80.0%", "overdue": "1", "satisfaction": "75.0%",
        }  # fmt: skip
        listed = {}
        for testid, (link, _) in figures.items():
            assert link.startswith("/requests/?start=2025-01-01&end=2025-12-31&figure=")
            rows = client.get(link).context["page"].rows
            listed[testid] = {names[r.pk] for r in rows}
    assert listed == {
        "received": {"r1", "r2", "r3", "r4", "r5", "r6"},
        "on-time": {"r1", "r3", "r4", "r6"},
        "overdue": {"r2"},
        "satisfaction": {"r1", "r3", "r5", "r6"},
    }


def test_the_province_panel_counts_the_west_hotline_request_too(client, world, december):
    client.force_login(world["users"]["province"])
    with at("2025-12-31"):
        body = client.get("/").content.decode()
    assert kpi(body, "requests-received")[1] == "7"
    assert kpi(body, "requests-overdue")[1] == "2"


def test_the_enterprise_profile_lists_its_requests_in_the_users_scope(client, world, december):
    textile = world["textile"]
    numbers = [december[k].item.number for k in ("r1", "r2", "r3", "r4", "r5", "r6")]
    for user in ("province", "firm"):
        client.force_login(world["users"][user])
        response = client.get(textile.get_absolute_url())
        assert response.status_code == 200
        body = response.content.decode()
        section = body[body.index('data-testid="enterprise-requests"') :]
        assert '企业诉求 <span class="sub">6 件</span>' in section
        assert sorted(re.findall(r"SQ-2025-\d{4}", section)) == sorted(numbers)
        assert december["w1"].item.number not in body
    # the west enterprise's profile, seen by the province, lists none of them
    client.force_login(world["users"]["province"])
    body = client.get(world["west"].get_absolute_url()).content.decode()
    assert "暂无诉求" in body
