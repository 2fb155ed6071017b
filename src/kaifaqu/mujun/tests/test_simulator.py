"""The what-if simulator on the result card: the run's own scoring of one enterprise, no writes."""

from datetime import date, timedelta

from django.http import QueryDict
from django.urls import reverse

from conftest import make_user
from kaifaqu.audit.models import ObjectChange
from kaifaqu.mujun import actions
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun
from kaifaqu.mujun.simulation import recorded_inputs, simulator


def form(inputs: dict[str, float | None], **changed: float | str | None) -> QueryDict:
    """The simulator form as submitted: the recorded inputs with ``changed`` typed over them."""
    given = QueryDict(mutable=True)
    for name, value in {**inputs, **changed}.items():
        given[name] = "" if value is None else str(value)
    return given


def outcome_of(result, user, **changed):
    start = recorded_inputs(result, user)
    names = [f.name for f in simulator(result, user, None).fields]
    return simulator(result, user, form({n: start[n] for n in names}, **changed)).outcome


def test_the_recorded_inputs_reproduce_every_result_of_the_run(run, province_analyst):
    # given every result of the province run, each enterprise's own inputs unchanged
    for result in EvaluationResult.objects.filter(run=run).select_related("run", "enterprise"):
        outcome = outcome_of(result, province_analyst)
        # then the simulation gives the stored total, items and grade exactly
        assert (outcome.total, outcome.grade) == (float(result.total), result.grade)
        assert outcome.items == result.items


def test_the_form_offers_the_inputs_the_pool_reads(run, province_analyst):
    # the first enterprise's (it pays 100 万元); the run writes its results in no fixed order
    results = EvaluationResult.objects.filter(run=run).select_related("run")
    result = results.order_by("enterprise_id").first()
    fields = simulator(result, province_analyst, None).fields
    assert [(f.name, f.label, f.unit) for f in fields] == [
        ("tax_paid", "实缴税收", "万元"),
        ("value_added", "工业增加值", "万元"),
        ("operating_revenue", "营业收入", "万元"),
        ("energy_tce", "综合能耗", "吨标准煤"),
        ("emission_t", "主要污染物排放量", "t"),
        ("rd_expenditure", "研发经费支出", "万元"),
        ("avg_employees", "年平均职工人数", "人"),
        ("land_area_mu", "用地面积", "亩"),
    ]
    assert [f.text for f in fields] == ["100", "600", "5000", "200", "0.5", "100", "50", "40"]


def test_paying_the_tax_the_card_names_reaches_the_target_grade(run, province_analyst):
    # given the weakest enterprise (C) and what its card says B takes
    weakest = EvaluationResult.objects.filter(run=run).order_by("total").first()
    more = weakest.explanation["more_tax"]
    tax = float(recorded_inputs(weakest, province_analyst)["tax_paid"])
    # when the simulator gets that much more tax, it is B at the needed total; 1% less, still C
    reached = outcome_of(weakest, province_analyst, tax_paid=tax + more)
    assert (reached.grade, reached.total) == ("B", weakest.explanation["needed_total"])
    assert outcome_of(weakest, province_analyst, tax_paid=tax + 0.99 * more).grade == "C"


def test_a_blank_input_gets_the_schemes_missing_data_rule(run, province_analyst):
    # given the best enterprise without emission data: the pool's average emission item (黄岩)
    best = EvaluationResult.objects.filter(run=run).order_by("-total").first()
    outcome = outcome_of(best, province_analyst, emission_t=None)
    fill = run.counts["cutoffs"]["above"]["fills"]["va_per_emission"]
    assert outcome.values["va_per_emission"] == fill
    assert outcome.items["va_per_emission"] == round(10 * fill / 4929.81, 4)  # stored precision
    assert outcome.warnings == ["主要污染物排放量或工业增加值缺失或为零,该项按池内平均得分计"]
    # and without land it is not evaluated, with the reason
    no_land = outcome_of(best, province_analyst, land_area_mu=0)
    assert (no_land.status, no_land.total, no_land.grade) == ("not_evaluated", None, None)
    assert no_land.reason == "用地面积缺失或为零,不参加规上评价"


def test_the_simulator_page_renders_the_outcome_and_writes_nothing(client, run, province_analyst):
    client.force_login(province_analyst)
    weakest = EvaluationResult.objects.filter(run=run).order_by("total").first()
    tax = 100 + weakest.explanation["more_tax"]
    changes, results = ObjectChange.objects.count(), list(EvaluationResult.objects.values())
    counts = EvaluationRun.objects.get(pk=run.pk).counts
    url = reverse("mujun:simulate", args=[weakest.pk])
    # an htmx request gets the fragment; a plain one the whole page with the form
    fragment = client.get(url, {"tax_paid": f"{tax}"}, headers={"HX-Request": "true"})
    page = client.get(url, {"tax_paid": f"{tax}"})
    assert fragment.content.decode().startswith('<div id="simulation"')
    assert 'data-testid="simulated-grade">B(鼓励提升类)</div>' in fragment.content.decode()
    assert 'data-testid="simulator-form"' in page.content.decode()
    assert ObjectChange.objects.count() == changes
    assert list(EvaluationResult.objects.values()) == results
    assert EvaluationRun.objects.get(pk=run.pk).counts == counts


def test_input_that_is_not_a_number_is_refused_without_an_outcome(run, province_analyst):
    result = EvaluationResult.objects.filter(run=run).first()
    shown = simulator(result, province_analyst, QueryDict("tax_paid=abc&energy_tce=-3"))
    errors = {f.name: (f.text, f.error) for f in shown.fields if f.error}
    assert errors == {"tax_paid": ("abc", "须为数字"), "energy_tce": ("-3", "不能为负数")}
    assert shown.outcome is None


def test_the_card_shows_the_simulator(client, run, province_analyst):
    client.force_login(province_analyst)
    result = EvaluationResult.objects.filter(run=run).first()
    page = client.get(reverse("mujun:result", args=[result.pk])).content.decode()
    assert f'hx-get="{reverse("mujun:simulate", args=[result.pk])}"' in page
    assert '<input name="tax_paid" value="' in page


def test_an_enterprise_simulates_its_own_result_only_once_public(client, run, manager):
    result, other = EvaluationResult.objects.filter(run=run).order_by("pk")[:2]
    client.force_login(make_user("ent", "enterprise_user", enterprise=result.enterprise))
    url = reverse("mujun:simulate", args=[result.pk])
    assert client.get(url, {"tax_paid": "1"}).status_code == 404
    start = date(2026, 3, 10)
    actions.start_publicity(run, start=start, end=start + timedelta(days=6), acting_user=manager)
    assert client.get(url, {"tax_paid": "1"}).status_code == 200
    assert client.get(reverse("mujun:simulate", args=[other.pk])).status_code == 404
