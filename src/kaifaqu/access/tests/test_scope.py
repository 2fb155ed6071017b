"""The scope conditions other than restrict(), each with the exact rows or codes it yields."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from conftest import make_user
from kaifaqu.access.scope import (
    NOTHING,
    office_region_codes,
    owner_condition,
    regions_within_condition,
    summary_zone_ids,
)
from kaifaqu.catalog.models import Region


def test_an_office_sits_in_its_division_and_those_above(province, province_analyst, zone_user):
    west_firm = province["enterprises"]["西城化工有限公司"]
    firm_user = make_user("firm", "enterprise_user", enterprise=west_firm)
    assert office_region_codes(province_analyst) == {"990000"}
    assert office_region_codes(zone_user) == {"990000", "990100", "990102"}
    assert office_region_codes(firm_user) == {"990000", "990200"}
    assert office_region_codes(AnonymousUser()) == set()


def test_a_bureau_places_zones_in_the_divisions_inside_its_own(province, zone_user):
    east_city = Region.objects.get(code="990100")
    city_analyst = make_user("city", "city_analyst", region=east_city)
    leader = make_user("leader", "leadership", region=east_city)

    def codes(user):
        condition = regions_within_condition(user, "change")
        return list(Region.objects.filter(condition).values_list("code", flat=True))

    assert codes(city_analyst) == ["990100", "990102"]
    assert codes(leader) == []  # reads only
    assert codes(zone_user) == []


def test_a_summary_shows_a_bureau_every_zone_and_a_zone_office_its_own(
    province, province_analyst, zone_user
):
    firm_user = make_user(
        "firm", "enterprise_user", enterprise=province["enterprises"]["东城纺织有限公司"]
    )
    assert summary_zone_ids(province_analyst) is None
    assert summary_zone_ids(zone_user) == [province["zones"]["east"].pk]
    assert summary_zone_ids(firm_user) == []
    assert summary_zone_ids(AnonymousUser()) == []


def test_a_job_or_an_upload_is_its_owners(province_analyst, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pass-for-tests-2026")
    assert owner_condition(province_analyst, owner="user") == Q(user=province_analyst)
    assert owner_condition(admin, owner="user") == Q()
    assert owner_condition(AnonymousUser(), owner="user") == NOTHING


def test_a_zone_office_sees_the_divisions_schemes_but_not_a_sibling_zones(province, zone_user):
    from kaifaqu.mujun.models import Scheme

    # given schemes of the province, of the east city, of the east zone and of its sibling zone
    east_city = Region.objects.get(code="990100")

    def scheme(name, region, zone=None):
        return Scheme.objects.create(name=name, preset="p", document="", region=region, zone=zone)

    scheme("省方案", province["province"])
    scheme("市方案", east_city)
    scheme("本区方案", province["zones"]["east"].region, province["zones"]["east"])
    scheme("兄弟园区方案", east_city, province["zones"]["east_htz"])
    # then the east zone's staff read the divisions' and their own, not the sibling zone's
    visible = Scheme.objects.restrict(zone_user, "view").values_list("name", flat=True)
    assert sorted(visible) == sorted(["省方案", "市方案", "本区方案"])
    assert list(Scheme.objects.restrict(zone_user, "change").values_list("name", flat=True)) == [
        "本区方案"
    ]
