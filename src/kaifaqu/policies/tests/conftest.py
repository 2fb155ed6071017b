"""A small policy world on the shared test province: 东城市's bureaus and zone committees, a
supervisor per city, unit members, and a document read by hand into the extraction's model (so
these tests do not depend on the extractor's heuristics)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conftest import make_user
from kaifaqu.policies.actions import DocumentFacts, store_extraction
from kaifaqu.policytext import Deadline, ExtractedDocument, Measure, Span, Target, UnitRef
from kaifaqu.units.models import Membership, Unit

TEXT = (
    "东城市开发区高质量发展行动方案\n"
    "一、做大产业规模\n"
    "(一)培育规上企业。到2025年,规上工业企业达到600家。(责任单位:市商务局、市发改委)\n"
    "(二)推进园区提质。各开发区每季度报送发展情况。(责任单位:各开发区)\n"
    "(三)优化营商环境。2025年6月底前出台实施细则。(牵头单位:市发改委;责任单位:市商务局)\n"
)


def span(text: str, after: int = 0) -> Span:
    start = TEXT.index(text, after)
    return Span(start, start + len(text))


def measure(path: str, heading: str, **fields: Any) -> Measure:
    start = TEXT.rindex("\n", 0, TEXT.index(heading)) + 1
    end = TEXT.index("\n", start)
    units = tuple(
        UnitRef(name, role, span(name, start))
        for role in ("lead", "support")
        for name in fields.get(role, ())
    )
    return Measure(
        path=path,
        heading=heading,
        span=Span(start, end),
        units=units,
        deadlines=fields.get("deadlines", ()),
        targets=fields.get("targets", ()),
    )


def extracted() -> ExtractedDocument:
    first = TEXT.index("(一)")
    third = TEXT.index("(三)")
    return ExtractedDocument(
        title="东城市开发区高质量发展行动方案",
        doc_number="东政发〔2025〕8号",
        issuer="东城市人民政府",
        issued=date(2025, 3, 1),
        text=TEXT,
        measures=(
            measure("一", "做大产业规模"),
            measure(
                "一/(一)",
                "培育规上企业",
                lead=("市商务局", "市发改委"),
                deadlines=(
                    Deadline("date", date(2025, 12, 31), None, "到2025年", span("到2025年", first)),
                ),
                targets=(
                    Target(
                        "规上工业企业",
                        ">=",
                        Decimal(600),
                        "家",
                        "规上工业企业达到600家",
                        span("规上工业企业达到600家"),
                    ),
                ),
            ),
            measure(
                "一/(二)",
                "推进园区提质",
                lead=("各开发区",),
                deadlines=(Deadline("recurring", None, "quarterly", "每季度", span("每季度")),),
            ),
            measure(
                "一/(三)",
                "优化营商环境",
                lead=("市发改委",),
                support=("市商务局",),
                deadlines=(
                    Deadline(
                        "date",
                        date(2025, 6, 30),
                        None,
                        "2025年6月底前",
                        span("2025年6月底前", third),
                    ),
                ),
            ),
        ),
    )


@pytest.fixture
def world(province: dict[str, Any]) -> dict[str, Any]:
    zones = province["zones"]
    east_city, west_city = zones["east_htz"].region, zones["west"].region
    units = {
        "commerce": Unit.objects.create(
            name="东城市商务局", kind="bureau", region=east_city, aliases=["东城市商务局"]
        ),
        "reform": Unit.objects.create(
            name="东城市发展和改革委员会", kind="bureau", region=east_city,
            aliases=["东城市发改委"],
        ),
        "east_committee": Unit.objects.create(
            name="东城经济技术开发区管委会", kind="zone_committee", region=zones["east"].region,
            zone=zones["east"],
        ),
        "htz_committee": Unit.objects.create(
            name="东城高新技术产业开发区管委会", kind="zone_committee", region=east_city,
            zone=zones["east_htz"],
        ),
        "west_committee": Unit.objects.create(
            name="西城经济开发区管委会", kind="zone_committee", region=west_city,
            zone=zones["west"],
        ),
    }  # fmt: skip
    users = {
        "east": make_user("east_sup", "city_analyst", region=east_city),
        "west": make_user("west_sup", "city_analyst", region=west_city),
        "clerk": make_user("clerk", "city_analyst", region=west_city),
        "zone": make_user("zone_staff", "zone_analyst", zones=(zones["east"],)),
        "leader": make_user("leader", "leadership", region=province["province"]),
    }
    # the clerk works in 西城 but is a member of 东城's commerce bureau
    Membership.objects.create(unit=units["commerce"], user=users["clerk"])
    Membership.objects.create(unit=units["east_committee"], user=users["zone"])
    document = store_extraction(
        extracted(), DocumentFacts(region=east_city), acting_user=users["east"]
    )
    proposals = {p.path: p for p in document.proposals.all()}
    return {**province, "units": units, "users": users, "document": document,
            "proposals": proposals}  # fmt: skip
