"""The document's particulars: title, 文号, issuing body and date of issue, read from its text.

A site's info table ("标 题 …", "文 号 …", "发布机构 …", "发文日期 2022-04-02") is read first; else
the title is the first line that names a kind of document (方案, 意见, 通知 …), the 文号 the first
line that is only a number such as "连政发〔2022〕32号", and the issuer and date those of the
signature line ("南京市人民政府办公厅  2021年2月23日印发").
"""

import re
from dataclasses import dataclass
from datetime import date

_FIELD = r"^\s*{label}\s*[::]?\s*(?P<value>.+?)\s*(?=\s{{2,}}|\s\S{{1,4}}\s\S|$)"
_TITLE_FIELD = re.compile(_FIELD.format(label=r"标\s*题"), re.M)
_NUMBER_FIELD = re.compile(_FIELD.format(label=r"文\s*号"), re.M)
_ISSUER_FIELD = re.compile(_FIELD.format(label=r"(?:发布机构|发文机关|发文单位|发布单位)"), re.M)
_DATE = r"(?P<y>20\d\d|19\d\d)\s*[-年./]\s*(?P<m>\d{1,2})\s*[-月./]\s*(?P<d>\d{1,2})\s*日?"
_DATE_FIELD = re.compile(rf"(?:发文|成文|印发|发布)?日期\s*[::]?\s*{_DATE}")
_SIGNATURE = re.compile(rf"^\s*(?P<issuer>\S*?)\s*{_DATE}(?:印发|发布)?\s*$", re.M)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[(]\d{4}[〕\])]\d{1,4}号")
_KINDS = r"(方案|意见|通知|办法|规定|决定|计划|措施|纲要|规划|细则|指引|条例|通告|若干政策|要点)"
_TITLE = re.compile(rf"^\s*(?P<title>[^\s:,。;]{{6,80}}{_KINDS})\s*$", re.M)


@dataclass(frozen=True)
class Particulars:
    title: str
    doc_number: str
    issuer: str
    issued: date | None


def _date(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def particulars(text: str) -> Particulars:
    """Read from the normalised text."""
    title_field = _TITLE_FIELD.search(text)
    title_line = _TITLE.search(text)
    title = (
        title_field.group("value")
        if title_field
        else title_line.group("title")
        if title_line
        else ""
    )
    number_field = _NUMBER_FIELD.search(text)
    number_line = re.search(rf"^\s*({_DOC_NUMBER.pattern})\s*$", text, re.M)
    doc_number = (
        _DOC_NUMBER.search(number_field.group("value")) if number_field else None
    ) or number_line
    signatures = list(_SIGNATURE.finditer(text))
    issuer_field = _ISSUER_FIELD.search(text)
    issuer = issuer_field.group("value") if issuer_field else ""
    if not issuer and signatures:
        issuer = signatures[-1].group("issuer")
    date_field = _DATE_FIELD.search(text)
    issued = _date(date_field) if date_field else None
    if issued is None and signatures:
        issued = _date(signatures[-1])
    return Particulars(
        title.strip(),
        doc_number.group(doc_number.lastindex or 0).strip() if doc_number else "",
        issuer.strip(),
        issued,
    )
