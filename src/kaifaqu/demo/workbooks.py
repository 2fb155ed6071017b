"""``kaifaqu demo-data --xlsx DIR``: the demo province as filled import templates, so that a
newcomer can try the whole intake on realistic files."""

from pathlib import Path

from kaifaqu.access.users import ActingUser
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.intake.exports import export_queryset, zone_year_rows
from kaifaqu.intake.importers import ZoneYearsImporter
from kaifaqu.spreadsheets.writing import to_xlsx
from kaifaqu.zones.models import Zone, ZoneYear


def write_demo_workbooks(directory: Path, user: ActingUser) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, queryset in (
        ("zones", Zone.objects.restrict(user)),
        ("enterprises", Enterprise.objects.restrict(user)),
        ("enterprise-years", EnterpriseYear.objects.restrict(user)),
    ):
        spec, rows = export_queryset(kind, queryset)
        written.append(_write(directory / f"{kind}.xlsx", to_xlsx(spec, rows)))
    spec = ZoneYearsImporter(user).spec()
    rows = zone_year_rows(spec, ZoneYear.objects.restrict(user))
    written.append(_write(directory / "zone-years.xlsx", to_xlsx(spec, rows)))
    return written


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
