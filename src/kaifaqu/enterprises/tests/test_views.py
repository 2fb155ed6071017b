import pytest
from django.urls import reverse

from kaifaqu.catalog.models import Industry, Tag
from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.enterprises.views import EnterpriseListView

pytestmark = pytest.mark.django_db


def names(response):
    return [enterprise.name for enterprise in response.context["page"].rows]


def test_enterprise_list_shows_every_enterprise_with_exact_count(analyst_client, province):
    response = analyst_client.get(reverse("enterprises:enterprise_list"))
    assert response.context["count"] == 5
    assert len(names(response)) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "化工"}, ["东城化工股份有限公司", "西城化工有限公司"]),
        ({"status": "stopped"}, ["高新电子有限公司"]),
        ({"scale": "below"}, ["东城化工股份有限公司", "西城纺织有限公司"]),
        ({"scale": "above"}, ["东城纺织有限公司", "高新电子有限公司", "西城化工有限公司"]),
    ],
)
def test_enterprise_list_filters(analyst_client, province, query, expected):
    response = analyst_client.get(reverse("enterprises:enterprise_list"), query)
    assert names(response) == expected
    assert response.context["count"] == len(expected)


def test_search_by_uscc_finds_exactly_one(analyst_client, province):
    uscc = province["enterprises"]["西城化工有限公司"].uscc
    response = analyst_client.get(reverse("enterprises:enterprise_list"), {"q": uscc.lower()})
    assert names(response) == ["西城化工有限公司"]


def test_filter_by_zone_industry_section_and_tag(analyst_client, province):
    query = {
        "zone": province["zones"]["east"].pk,
        "industry": Industry.objects.get(code="C").pk,
        "tags": Tag.objects.get(name="高新技术企业").pk,
    }
    response = analyst_client.get(reverse("enterprises:enterprise_list"), query)
    assert names(response) == ["东城纺织有限公司"]


def test_invalid_filter_shows_nothing_and_says_so(analyst_client, province):
    response = analyst_client.get(reverse("enterprises:enterprise_list"), {"status": "bogus"})
    assert response.context["count"] == 0
    assert "筛选条件有误" in response.content.decode()


def test_keyset_paging_walks_forward_and_back(analyst_client, province, monkeypatch):
    monkeypatch.setattr(EnterpriseListView, "page_size", 2)
    url = reverse("enterprises:enterprise_list")
    first = analyst_client.get(url)
    assert names(first) == ["东城纺织有限公司", "东城化工股份有限公司"]
    assert first.context["page"].previous is None
    assert (first.context["page"].number, first.context["page"].pages) == (1, 3)
    second = analyst_client.get(f"{url}?{first.context['page'].next.query}")
    assert names(second) == ["高新电子有限公司", "西城化工有限公司"]
    third = analyst_client.get(f"{url}?{second.context['page'].next.query}")
    assert names(third) == ["西城纺织有限公司"]
    assert third.context["page"].next is None
    assert "第 3 页 / 共 3 页" in third.content.decode()
    back = analyst_client.get(f"{url}?{third.context['page'].previous.query}")
    assert names(back) == names(second)
    assert back.context["page"].number == 2


def test_list_query_count_does_not_grow_with_rows(
    analyst_client, province, django_assert_num_queries
):
    # session, user, profile and its zones, page of rows, tags, count, three filter choice
    # lists, the header's unread notifications, and the idle-timeout stamp saved to the
    # session (savepoint, update, release)
    url = reverse("enterprises:enterprise_list")
    analyst_client.get(url)  # the session's first request also settles the second-factor check
    with django_assert_num_queries(14):
        analyst_client.get(url)
    template = province["enterprises"]["东城纺织有限公司"]
    tag = Tag.objects.get(name="专精特新")
    for index in range(20):
        first17 = f"91990102MB{index:07d}"
        extra = Enterprise.objects.create(
            uscc=first17 + uscc_check_character(first17),
            name=f"扩展企业{index}",
            zone=template.zone,
            region=template.region,
        )
        extra.tags.add(tag)
    with django_assert_num_queries(14):
        response = analyst_client.get(url)
    assert response.context["count"] == 25


def test_enterprise_page_shows_yearly_statistics(analyst_client, province):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    response = analyst_client.get(enterprise.get_absolute_url())
    assert response.status_code == 200
    revenue = response.context["statistics"][0]
    assert revenue["label"] == "营业收入"
    assert revenue["unit"] == "万元"
    assert [str(value) for value in revenue["values"]] == ["2001.0000", "3001.5000"]
    assert response.context["charts"][0]["data"]["series"][1] == {
        "name": "实缴税收",
        "unit": "万元",
        "kind": "money",
        "values": [88.25, 88.25],
    }
