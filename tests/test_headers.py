"""The Content-Security-Policy: sent on every page, and nothing in a template or a page needs an
inline exception (no script body, event attribute, style attribute or style element)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import kaifaqu

POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
TEMPLATE_ROOT = Path(kaifaqu.__file__).parent
# Rendered only into a PDF by WeasyPrint, never sent to a browser: its stylesheet may stay inline.
PDF_TEMPLATES = {"assessment/templates/assessment/report.html"}

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
# A JSON data block (json_script) is data the browser never runs.
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']application/json["']""", re.IGNORECASE)
# on*= event handlers, htmx's hx-on (evaluated as script), style attributes, javascript: URLs.
INLINE_ATTRIBUTE = re.compile(
    r"""\s(?:on[a-z]+|hx-on[\w:.-]*|style)\s*=|javascript:""", re.IGNORECASE
)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def inline_code(html: str, *, styles_allowed: bool = False) -> list[str]:
    """Every piece of ``html`` the policy would refuse to run or apply."""
    found = [
        match.group(0)[:80]
        for match in SCRIPT.finditer(html)
        if match.group(2).strip() and not DATA_BLOCK.search(match.group(1))
    ]
    found += [match.group(0) for match in INLINE_ATTRIBUTE.finditer(html)]
    if not styles_allowed:
        found += [match.group(0) for match in STYLE_ELEMENT.finditer(html)]
    return found


def directives(header: str) -> dict[str, str]:
    """A policy header as directive → sources (django-csp writes the directives in any order)."""
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_the_checker_tells_data_from_code():
    page = (
        '<script id="d" type="application/json">{"a": 1}</script>'
        '<script src="/static/kaifaqu/app.js" defer></script>'
        '<a href="?zone=3&amp;year=2025" data-width="40">x</a>'
    )

    assert inline_code(page) == []
    assert inline_code("<script>alert(1)</script>") == ["<script>alert(1)</script>"]
    assert inline_code('<form onsubmit="return confirm()">') == [" onsubmit="]
    assert inline_code('<div class="bar" style="width: 4%">') == [" style="]
    assert inline_code('<button hx-on:click="go()">') == [" hx-on:click="]
    assert inline_code("<style>p {}</style>") == ["<style"]


def test_no_template_holds_inline_script_events_or_styles():
    templates = sorted(TEMPLATE_ROOT.glob("**/templates/**/*.html"))
    offences = {
        str(path.relative_to(TEMPLATE_ROOT)): found
        for path in templates
        if (
            found := inline_code(
                path.read_text(encoding="utf-8"),
                styles_allowed=str(path.relative_to(TEMPLATE_ROOT)) in PDF_TEMPLATES,
            )
        )
    }

    assert len(templates) > 40
    assert offences == {}


def test_the_login_page_carries_the_policy(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert inline_code(response.content.decode()) == []


MAIN_PAGES = [
    ("home", ()),
    ("zones:zone_list", ()),
    ("zones:zone", ("east",)),
    ("enterprises:enterprise_list", ()),
    ("enterprises:enterprise", ("东城纺织有限公司",)),
    ("intake:import", ()),
    ("jobs:job_list", ()),
    ("publications:publication_list", ()),
    ("mujun:run_list", ()),
    ("mujun:points", ()),
    ("mujun:scheme_list", ()),
    ("assessment:index", ()),
    ("assessment:targets", ()),
    ("assessment:deductions", ()),
    ("totp_setup", ()),
    ("api_tokens", ()),
    ("password_change", ()),
    ("api:docs", ()),
]


@pytest.mark.parametrize(("name", "objects"), MAIN_PAGES)
def test_every_main_page_carries_the_policy_and_no_inline_code(
    analyst_client, province, name, objects
):
    keys = [
        (province["zones"] | province["enterprises"])[key].pk
        for key in objects  # a zone or enterprise of the fixture, by its key or name
    ]

    response = analyst_client.get(reverse(name, args=keys))

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert inline_code(response.content.decode()) == []
