"""The run dashboard's charts: zones and industries by name, laid out by the chart builder."""

from kaifaqu.catalog.models import Industry
from kaifaqu.mujun.dashboard import dashboard_charts


def test_the_dashboard_names_industries_and_stacks_grades(run):
    charts = {c["id"]: c["data"] for c in dashboard_charts(run, None)["charts"]}
    industries = charts["grades-by-industry"]
    codes = sorted({code for zone in run.counts["by_industry"].values() for code in zone})
    names = dict(Industry.objects.values_list("code", "name"))
    # industries by their GB/T 4754 names, never their codes
    assert codes == ["17", "26"]
    assert industries["categories"] == ["纺织业", "化学原料和化学制品制造业"]
    assert industries["categories"] == [names[code] for code in codes]
    # counted grades, stacked on bars that start at zero, one series (and legend entry) a grade
    assert industries["layout"]["stack"] is True
    assert industries["layout"]["legend"] is True
    assert industries["axes"][0] == {"unit": "家", "kind": "count", "min": 0, "integer": True}
    assert [s["name"] for s in industries["series"]] == dashboard_charts(run, None)["grades"]
    # the score bands stay in order, upright
    assert charts["score-histogram"]["layout"]["orientation"] == "vertical"
