"""A province of supervised items on PostgreSQL, loaded set-wise by ``INSERT … SELECT
generate_series`` (no row goes through the ORM), for the supervision benchmarks.

The province 基准督办省 (960000): 10 cities, 10 zones each; per zone its 管委会, per city six
bureaus (160 units). N items of kind SQ (10 working days), opened at random over the five years
before ``TODAY``: 70% 区级, 20% 市级, 10% 省级; lead unit the zone's 管委会 (60%) or one of its
city's bureaus; handled in 1–10 working days (80%), 11–25 (15%) or 26–60 (5%), so an item whose
closing day lies after ``TODAY`` is still open (办理中, 10% 待签收); 0.5% are never closed; 1% have
no deadline; 3% had an approved 延期 of 10 working days (an ``Extension`` row each, the deadline
moved). Working days come from the ``workdays`` day table, in SQL.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

PROVINCE = "960000"
CITIES = 10
ZONES_PER_CITY = 10
BUREAUS = ("商务局", "发改委", "工信局", "自然资源局", "生态环境局", "税务局")
TODAY = date(2026, 12, 1)  # a Tuesday; the benchmarks travel here with time-machine
YEARS = 5


def supervisor() -> Any:
    """The province's 督办 office: a province analyst of 基准督办省 (created once)."""
    from django.contrib.auth import get_user_model

    from kaifaqu.access.models import Profile, Role

    user_model = get_user_model()
    user = user_model.objects.filter(username="supervision_bench").first()
    if user is None:
        user = user_model.objects.create_user("supervision_bench", password=None)
        Profile.objects.create(
            user=user,
            role=Role.objects.get(code="province_analyst"),
            region=province(),
            must_change_password=False,
        )
    return user


def province() -> Any:
    from kaifaqu.catalog.models import Region

    return Region.objects.filter(code=PROVINCE).first()


def geography() -> Any:
    """The province, its cities, zones and units (created once)."""
    from django.db import transaction

    from kaifaqu.catalog.models import Region
    from kaifaqu.units.models import Unit
    from kaifaqu.zones.models import Zone

    found = province()
    if found is not None:
        return found
    with transaction.atomic():
        prov = Region.objects.create(code=PROVINCE, name="基准督办省", level="province")
        for c in range(CITIES):
            city = Region.objects.create(
                code=f"96{c + 1:02d}00", name=f"基准市{c + 1}", level="city", parent=prov
            )
            for name in BUREAUS:
                Unit.objects.create(name=f"{city.name}{name}", kind="bureau", region=city)
            for z in range(ZONES_PER_CITY):
                zone = Zone.objects.create(
                    code=f"S{c:02d}{z:02d}",
                    name=f"基准{c + 1}市开发区{z + 1}",
                    kind="provincial_edz",
                    region=city,
                )
                Unit.objects.create(
                    name=f"{zone.name}管委会", kind="zone_committee", region=city, zone=zone
                )
    return prov


DRAWN_SQL = """
CREATE TEMPORARY TABLE bench_items ON COMMIT DROP AS
WITH kind AS (SELECT id, sla_working_days AS sla FROM supervision_itemkind WHERE code = 'SQ'),
zones AS (
    SELECT z.id, z.region_id, row_number() OVER (ORDER BY z.id) - 1 AS n, u.id AS committee
    FROM zones_zone z
    JOIN catalog_region r ON r.id = z.region_id
    JOIN units_unit u ON u.zone_id = z.id
    WHERE r.province_code = %(province)s
),
bureaus AS (
    SELECT u.id, u.region_id, row_number() OVER (PARTITION BY u.region_id ORDER BY u.id) - 1 AS n
    FROM units_unit u WHERE u.province_code = %(province)s AND u.zone_id IS NULL
),
drawn AS (
    SELECT i, %(today)s::date - 1 - floor(random() * %(days)s)::int AS opened,
           floor(random() * (SELECT count(*) FROM zones))::int AS zone_n,
           random() AS r_unit, floor(random() * 6)::int AS bureau_n, random() AS r_level,
           random() AS r_time, random() AS r_time2, random() AS r_fate, random() AS r_state
    FROM generate_series(1, %(n)s) AS i
),
timed AS (
    SELECT d.*, z.id AS zone_id, z.region_id, z.committee, o.ordinal AS opened_ordinal,
           CASE WHEN d.r_time < 0.80 THEN 1 + floor(d.r_time2 * 10)
                WHEN d.r_time < 0.95 THEN 11 + floor(d.r_time2 * 15)
                ELSE 26 + floor(d.r_time2 * 35) END::int AS handling,
           CASE WHEN d.r_fate < 0.01 THEN NULL
                WHEN d.r_fate < 0.04 THEN (SELECT sla FROM kind) + 10
                ELSE (SELECT sla FROM kind) END AS allowed,
           (SELECT sla FROM kind) AS sla, (SELECT id FROM kind) AS kind_id
    FROM drawn d JOIN zones z ON z.n = d.zone_n JOIN workdays_day o ON o.date = d.opened
)
SELECT t.i, t.kind_id, t.opened, t.zone_id, t.region_id, t.r_state, t.r_fate,
       CASE WHEN t.r_unit < 0.6 THEN t.committee ELSE b.id END AS lead_unit_id,
       CASE WHEN t.r_level < 0.7 THEN 1 WHEN t.r_level < 0.9 THEN 2 ELSE 3 END AS level,
       original.date AS original_deadline, deadline.date AS deadline,
       CASE WHEN %(open_only)s OR t.r_fate > 0.995 OR handled.date > %(today)s THEN NULL
            ELSE handled.date END AS closed
FROM timed t
JOIN bureaus b ON b.region_id = t.region_id AND b.n = t.bureau_n
LEFT JOIN workdays_day original ON original.working AND original.ordinal = t.opened_ordinal + t.sla
LEFT JOIN workdays_day deadline
    ON deadline.working AND deadline.ordinal = t.opened_ordinal + t.allowed
JOIN workdays_day handled ON handled.working AND handled.ordinal = t.opened_ordinal + t.handling
"""

ITEMS_SQL = """
INSERT INTO supervision_superviseditem (
    province_code, number, kind_id, year, sequence, title, description, region_id, zone_id,
    level, lead_unit_id, state, opened, deadline, deadline_official, light, escalation_days,
    on_board, closed)
SELECT %(province)s, 'SQ-' || extract(year FROM opened) || '-' || lpad(seq::text, 7, '0'),
       kind_id, extract(year FROM opened), seq, '基准事项' || i, '', region_id, zone_id, level,
       lead_unit_id,
       CASE WHEN closed IS NOT NULL THEN 'done' WHEN r_state < 0.1 THEN 'assigned'
            ELSE 'in_progress' END,
       opened, deadline, true, 'green', 0, false, closed
FROM (SELECT *, row_number() OVER (PARTITION BY extract(year FROM opened) ORDER BY opened, i)
             + coalesce((SELECT max(sequence) FROM supervision_superviseditem), 0) AS seq
      FROM bench_items) AS numbered
"""

EXTENSIONS_SQL = """
INSERT INTO supervision_extension (
    item_id, unit_id, requested, previous_deadline, proposed_deadline, reason, state, decided,
    decision_note)
SELECT s.id, s.lead_unit_id, (s.opened + 5)::timestamptz, b.original_deadline, s.deadline,
       '需配合单位协同', 'approved', (s.opened + 6)::timestamptz, '同意'
FROM bench_items b
JOIN supervision_superviseditem s
  ON s.title = '基准事项' || b.i AND s.province_code = %(province)s
WHERE b.r_fate >= 0.01 AND b.r_fate < 0.04
"""


def load_items(n: int, *, days: int = YEARS * 365, open_only: bool = False) -> float:
    """Insert ``n`` items opened over the ``days`` before ``TODAY`` (all of them still open if
    ``open_only``) and the extensions of the extended ones; returns the seconds."""
    from django.db import connection, transaction

    params: dict[str, Any] = {
        "province": PROVINCE,
        "today": TODAY,
        "days": days,
        "n": n,
        "open_only": open_only,
    }
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.28)")
        cursor.execute(DRAWN_SQL, params)
        cursor.execute(ITEMS_SQL, params)
        cursor.execute(EXTENSIONS_SQL, params)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE supervision_superviseditem")
        cursor.execute("VACUUM ANALYZE supervision_extension")
    return time.perf_counter() - started
