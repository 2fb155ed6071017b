"""Downloads name their file as RFC 6266 asks, so browsers keep a Chinese name and its extension."""

from urllib.parse import quote, unquote

import pytest
from django.urls import reverse

from kaifaqu.core.downloads import content_disposition, download_response


def test_a_chinese_name_with_spaces_and_quotes_is_percent_encoded_with_an_ascii_fallback():
    # Given a name with Chinese, a space and double quotes
    name = '东城 "2025" 企业名录.xlsx'
    # When it names a download
    header = download_response(b"x", name, "application/octet-stream")["Content-Disposition"]
    # Then the header is plain ASCII: a quoted fallback without the quotes, and the name encoded
    assert header == (
        'attachment; filename="_ _2025_ _.xlsx"; '
        "filename*=UTF-8''%E4%B8%9C%E5%9F%8E%20%222025%22%20%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95.xlsx"
    )
    # and decoding the encoded parameter gives the name back whole
    assert unquote(header.split("filename*=UTF-8''")[1], errors="strict") == name


def test_a_plain_name_is_the_same_in_both_parameters():
    assert content_disposition("change-log.csv") == (
        "attachment; filename=\"change-log.csv\"; filename*=UTF-8''change-log.csv"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "name"),
    [
        (reverse("intake:template", args=["enterprises"]), "企业名录导入模板.xlsx"),
        (reverse("intake:export", args=["enterprises"]), "企业名录.xlsx"),
        (reverse("intake:export", args=["enterprises"]) + "?format=csv", "企业名录.csv"),
    ],
)
def test_intake_downloads_name_their_file_in_utf_8(zone_client, url, name):
    response = zone_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(name)}")
