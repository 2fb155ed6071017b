"""Weight-noise ``levels`` in stored framework documents take COINr's meaning.

Engine 1.0 read ``levels = [3]`` as the aggregates at level 3 whose children's weights are
perturbed; engine 1.1 reads it as COINr's ``get_noisy_weights(Level = …)``: the level of the
perturbed weights, one lower (the presets' ``[3]``, the dimensions' weights, is now ``[2]``).
A version no run used is rewritten in place, so it keeps its meaning; a version a run used stays
as that run's record of what it ran (with the run's engine version beside it), and where it is its
framework's latest, a new version carries the rewritten document so that the next run means the
same. A document equal to a preset file as shipped now was written in the new meaning (a new
database's presets, from migration 0002) and is left alone. Only ``levels = [...]`` lines inside ``[[uncertainty.choice]]`` tables are touched (a weight
choice is the only kind with that key); the result is checked against the parsed document.
"""

import re
import tomllib
from typing import Any

from django.db import migrations

from kaifaqu.assessment.framework import PRESETS, preset_text

CHOICE_TABLE = "[[uncertainty.choice]]"
LEVELS_LINE = re.compile(r"^(?P<key>\s*levels\s*=\s*)\[(?P<values>[^\]]*)\](?P<rest>.*)$")
NOTE = "权重扰动层级 levels 改为 COINr 含义(被扰动权重所在层级,原值减一)"


def shifted(text: str) -> str:
    """``text`` with each weight choice's ``levels`` one lower (unchanged if it has none)."""
    lines = text.splitlines(keepends=True)
    table = None
    for i, line in enumerate(lines):
        stripped = line.split("#", 1)[0].strip()
        if stripped.startswith("["):
            table = stripped
            continue
        match = LEVELS_LINE.match(line.rstrip("\r\n"))
        if table == CHOICE_TABLE and match:
            old = [int(v) for v in match["values"].split(",") if v.strip()]
            new = ", ".join(str(level - 1) for level in old)
            ending = line[len(line.rstrip("\r\n")) :]
            lines[i] = f"{match['key']}[{new}]{match['rest']}{ending}"
    result = "".join(lines)
    _check(text, result)
    return result


def _check(before: str, after: str) -> None:
    """The rewritten document is the old one with every weight choice's levels one lower."""
    expected = tomllib.loads(before)
    for choice in expected.get("uncertainty", {}).get("choice", []):
        if "levels" in choice:
            if any(level < 2 for level in choice["levels"]):
                raise ValueError(f"levels {choice['levels']}: level 1 had no children to perturb")
            choice["levels"] = [level - 1 for level in choice["levels"]]
    if tomllib.loads(after) != expected:
        raise ValueError("a weight choice's levels are not on one line of their own table")


def forwards(apps: Any, schema_editor: Any) -> None:
    version_model = apps.get_model("assessment", "FrameworkVersion")
    run_model = apps.get_model("assessment", "AssessmentRun")
    system = apps.get_model("auth", "User").objects.get(username="system")
    used = set(run_model.objects.values_list("version_id", flat=True))
    current = {preset_text(code) for code in PRESETS}
    for version in version_model.objects.order_by("framework_id", "number"):
        if version.document in current:
            continue
        try:
            document = shifted(version.document)
        except (ValueError, tomllib.TOMLDecodeError) as error:
            raise ValueError(f"framework version {version.pk}: {error}") from None
        if document == version.document:
            continue
        if version.pk not in used:
            version.document = document
            version.save(update_fields=["document"])
            continue
        latest = version_model.objects.filter(framework_id=version.framework_id)
        if latest.order_by("-number").values_list("pk", flat=True).first() == version.pk:
            version_model.objects.create(
                framework_id=version.framework_id,
                number=version.number + 1,
                document=document,
                note=NOTE,
                created_by=system,
            )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_province_code_from_regional_base")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
