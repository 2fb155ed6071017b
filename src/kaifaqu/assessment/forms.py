from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.choices import DeductionItem, RankingLevel, RankScope, RuleKind
from kaifaqu.assessment.framework import DEFAULT_REPLICATIONS, Document, Path
from kaifaqu.assessment.models import AssessmentRun
from kaifaqu.catalog.choices import Direction
from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.models import Zone


class CopyForm(forms.Form):
    code = forms.SlugField(label="方案代码", max_length=48)
    name = forms.CharField(label="方案名称", max_length=100)


class VersionForm(forms.Form):
    document = forms.CharField(label="方案文件(TOML)", widget=forms.Textarea(attrs={"rows": 30}))
    note = forms.CharField(label="修改说明", max_length=200, required=False)


def province_choices() -> list[tuple[str, str]]:
    """Provinces by name (the catalog is public); a province outside the user's scope yields no
    zone, as the run's scope check decides."""
    provinces = Region.objects.filter(level="province").order_by("code")
    return [("", "数据范围内全部"), *provinces.values_list("code", "name")]


class RunForm(forms.Form):
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    province_code = forms.ChoiceField(label="省份", choices=province_choices, required=False)
    zone_kind = forms.ChoiceField(
        label="开发区类型",
        choices=[("", "按方案默认"), ("*", "全部类型"), *ZoneKind.choices],
        required=False,
    )


class ZoneEntryForm(forms.Form):
    """An entry against one zone: the zones offered are those the user may change."""

    zone = forms.ModelChoiceField(label="开发区", queryset=Zone.objects.none())

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["zone"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Zone.objects.restrict(user, "change").order_by("code")


class TargetForm(ZoneEntryForm):
    indicator = forms.ModelChoiceField(label="指标", queryset=Indicator.objects.all())
    year = forms.IntegerField(label="目标年度", min_value=2000, max_value=2100)
    value = forms.DecimalField(label="目标值", max_digits=20, decimal_places=6)
    note = forms.CharField(label="依据", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator, value = data.get("indicator"), data.get("value")
        problem = indicator.value_problem(value) if indicator and value is not None else ""
        if problem:
            self.add_error("value", problem)
        return data


class RankTargetForm(ZoneEntryForm):
    level = forms.ChoiceField(label="排名层级", choices=RankingLevel.choices)
    year = forms.IntegerField(label="目标年度", min_value=2000, max_value=2100)
    rank = forms.IntegerField(label="进入前(位)", min_value=1)
    note = forms.CharField(label="依据", max_length=200, required=False)


class DeductionForm(ZoneEntryForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    item = forms.ChoiceField(label="事项", choices=DeductionItem.choices)
    count = forms.DecimalField(label="数量", min_value=0, max_digits=8, decimal_places=2)
    note = forms.CharField(label="说明", max_length=200, required=False)


class CompareForm(forms.Form):
    """Which run a ranking is compared with: one of ``others``, or by default the latest
    earlier one (chosen by the view)."""

    other = forms.ModelChoiceField(
        label="对比运行", queryset=AssessmentRun.objects.none(), required=False
    )

    def __init__(self, *args: Any, others: QuerySet[AssessmentRun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = others
        field.label_from_instance = _run_label  # type: ignore[method-assign, assignment]

    def chosen(self) -> AssessmentRun | None:
        return self.cleaned_data.get("other") if self.is_valid() else None


def _run_label(run: AssessmentRun) -> str:
    return f"{run.year}年 第{run.version.number}版 {run.created:%m-%d %H:%M}"


class FrameworkEditForm(forms.Form):
    """The values of a framework document a bureau edits without TOML: the weights of its
    dimensions and indicators, each indicator's direction, and its target and goalposts where
    the document has them; the penalty per deduction item; the management rules' thresholds,
    the disqualification thresholds, the published rank and the replications.

    Fields are made from the document, each named by the value's code and remembering its
    place in the document; ``changes()`` gives the edited ones by place, for
    ``framework.with_values``."""

    note = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        self.paths: dict[str, Path] = {}
        self.goalposts: dict[Path, tuple[str, str, list[Any]]] = {}
        self.values_checked: dict[str, str] = {}  # field name → indicator code its range bounds
        self.rows: dict[str, dict[str, Any]] = {}  # indicator code → its fields
        self.dimensions: list[dict[str, Any]] = []
        self.penalties: list[str] = []
        self.rules: list[dict[str, Any]] = []
        self.disqualifications: list[str] = []
        self.general: list[str] = []
        raw = document.raw
        self._framework_fields(raw.get("framework", []))
        self._step_fields(raw.get("step", []))
        if "assessment" in raw:
            self._assessment_fields(raw["assessment"])

    # -- the fields, made from the document

    def _add(self, name: str, field: forms.Field, path: Path, initial: Any) -> str:
        field.initial = initial
        self.fields[name] = field
        self.paths[name] = path
        return name

    def _framework_fields(self, entries: list[dict[str, Any]]) -> None:
        doc = self.document
        at = {entry["code"]: i for i, entry in enumerate(entries)}
        for d in doc.dimensions:
            name = doc.label(d)
            weight = _weight(f"「{name}」权重")
            path: Path = ("framework", at[d], "weight")
            rows = [self._indicator_row(entries[at[c]], at[c]) for c in doc.framework.children(d)]
            self.dimensions.append(
                {
                    "label": name,
                    "weight": self._add(f"weight-{d}", weight, path, _decimal(doc.weights[d])),
                    "indicators": rows,
                }
            )

    def _indicator_row(self, entry: dict[str, Any], at: int) -> dict[str, Any]:
        """The fields of one indicator: weight, direction and its target if it has one."""
        code = str(entry["code"])
        node = self.document.framework.node(code)
        label = self.document.label(code)
        direction = forms.TypedChoiceField(
            label=f"「{label}」方向", choices=Direction.choices, coerce=int
        )
        row: dict[str, Any] = {
            "label": label,
            "unit": node.unit or "",
            "weight": self._add(
                f"weight-{code}",
                _weight(f"「{label}」权重"),
                ("framework", at, "weight"),
                _decimal(node.weight or 0),
            ),
            "direction": self._add(
                f"direction-{code}",
                direction,
                ("framework", at, "direction"),
                int(entry.get("direction", 1)),
            ),
            "extra": [],
        }
        if "target" in entry:
            target = _value(f"「{label}」目标值")
            path: Path = ("framework", at, "target")
            row["extra"].append(
                self._checked(f"target-{code}", target, path, entry["target"], code)
            )
        self.rows[code] = row
        return row

    def _checked(self, name: str, field: forms.Field, path: Path, value: Any, code: str) -> str:
        """A value of indicator ``code`` (a target), which must be one the indicator can take."""
        self.values_checked[name] = code
        return self._add(name, field, path, _decimal(value))

    def _step_fields(self, steps: list[dict[str, Any]]) -> None:
        doc = self.document
        for i, step in enumerate(steps):
            if step.get("kind") == "rule" and "points" in step:
                field = _weight(f"「{step.get('name') or doc.label(step['column'])}」每个扣分")
                path: Path = ("step", i, "points")
                name = self._add(f"points-{i}", field, path, _decimal(step["points"]))
                self.penalties.append(name)
            if step.get("kind") != "normalise":
                continue
            # (a step's value of a column no dimension holds is left to the TOML view)
            targets = {c: v for c, v in step.get("targets", {}).items() if c in self.rows}
            goalposts = {c: v for c, v in step.get("goalposts", {}).items() if c in self.rows}
            for code, value in targets.items():
                field = _value(f"「{doc.label(code)}」目标值")
                path = ("step", i, "targets", code)
                target = self._checked(f"target-{i}-{code}", field, path, value, code)
                self.rows[code]["extra"].append(target)
            for code, posts in goalposts.items():
                low, high = f"low-{i}-{code}", f"high-{i}-{code}"
                self.fields[low] = _value(f"「{doc.label(code)}」下限", _decimal(posts[0]))
                self.fields[high] = _value(f"「{doc.label(code)}」上限", _decimal(posts[1]))
                self.goalposts[("step", i, "goalposts", code)] = (low, high, list(posts[2:]))
                self.values_checked |= {low: code, high: code}
                self.rows[code]["extra"] += [low, high]

    def _assessment_fields(self, meta: dict[str, Any]) -> None:
        rank = forms.ChoiceField(label="公布名次口径", choices=RankScope.choices)
        replications = forms.IntegerField(label="名次区间模拟次数", min_value=0)
        self.general = [
            self._add(
                "published_rank",
                rank,
                ("assessment", "published_rank"),
                meta.get("published_rank", RankScope.OVERALL),
            ),
            self._add(
                "replications",
                replications,
                ("assessment", "replications"),
                int(meta.get("replications", DEFAULT_REPLICATIONS)),
            ),
        ]
        for j, rule in enumerate(meta.get("rule", [])):
            fields = {}
            for key, label, default in RULE_THRESHOLDS.get(rule.get("kind", ""), ()):
                field = forms.IntegerField(label=f"「{rule.get('name', '')}」{label}", min_value=1)
                path: Path = ("assessment", "rule", j, key)
                fields[key] = self._add(f"rule-{j}-{key}", field, path, int(rule.get(key, default)))
            self.rules.append({"label": rule.get("name", ""), "fields": fields})
        for j, item in enumerate(meta.get("disqualify", [])):
            label = f"「{item.get('name', '')}」达到(起)"
            at_least = forms.DecimalField(label=label, min_value=1, max_digits=8, decimal_places=2)
            path = ("assessment", "disqualify", j, "at_least")
            initial = _decimal(item.get("at_least", 1))
            self.disqualifications.append(self._add(f"disqualify-{j}", at_least, path, initial))

    # -- validation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dimensions = [d["weight"] for d in self.dimensions]
        _not_all_zero(self, data, dimensions, "各维度权重不能全为 0")
        for d in self.dimensions:
            weights = [row["weight"] for row in d["indicators"]]
            _not_all_zero(self, data, weights, f"「{d['label']}」的指标权重不能全为 0")
        indicators = Indicator.objects.in_bulk(set(self.values_checked.values()), field_name="code")
        for name, code in self.values_checked.items():
            indicator, value = indicators.get(code), data.get(name)
            problem = indicator.value_problem(value) if indicator and value is not None else ""
            if problem:
                self.add_error(name, problem)
        for low, high, _ in self.goalposts.values():
            if low in data and high in data and data[low] == data[high]:
                self.add_error(high, f"{self.fields[high].label}不能等于下限")
        for rule in self.rules:
            k, m = rule["fields"].get("k", ""), rule["fields"].get("m", "")
            if k in data and m in data and data[k] > data[m]:
                self.add_error(k, "次数 k 不得大于年数 m")
        return data

    def layout(self) -> dict[str, Any]:
        """The bound fields as the page lays them out: dimensions with their indicators, then
        the penalties, the published rank, the rules and the disqualifications."""
        bound = self.__getitem__

        def row(r: dict[str, Any]) -> dict[str, Any]:
            fields = {key: bound(r[key]) for key in ("weight", "direction")}
            return {**r, **fields, "extra": [bound(name) for name in r["extra"]]}

        return {
            "dimensions": [
                {**d, "weight": bound(d["weight"]), "indicators": [row(r) for r in d["indicators"]]}
                for d in self.dimensions
            ],
            "penalties": [bound(name) for name in self.penalties],
            "general": [bound(name) for name in self.general],
            "rules": [
                {"label": r["label"], "fields": [bound(n) for n in r["fields"].values()]}
                for r in self.rules
            ],
            "disqualifications": [bound(name) for name in self.disqualifications],
        }

    def problems(self) -> list[str]:
        """Every error with the field it is about, for the summary above the form."""
        return [
            f"{self.fields[name].label}:{message}" if name in self.fields else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]

    def changes(self) -> dict[Path, Any]:
        """The edited values by their place in the document (unchanged ones left out, so the
        new version differs from the last only where the form was changed)."""
        data = self.cleaned_data
        changed = {
            path: _toml(data[name])
            for name, path in self.paths.items()
            if data[name] != self.fields[name].initial
        }
        for path, (low, high, rest) in self.goalposts.items():
            if (data[low], data[high]) != (self.fields[low].initial, self.fields[high].initial):
                changed[path] = [_toml(data[low]), _toml(data[high]), *rest]
        return changed


# A management rule's thresholds by kind: (key, label, the engine's default).
RULE_THRESHOLDS: dict[str, tuple[tuple[str, str, int], ...]] = {
    RuleKind.BOTTOM: (("n", "后N位", 0),),
    RuleKind.TOP: (("n", "前N位", 0),),
    RuleKind.BOTTOM_IN_YEARS: (("n", "后N位", 0), ("k", "次数 k", 1), ("m", "年数 m", 1)),
    RuleKind.FALL_STREAK: (("years", "连续退位年数", 2),),
    RuleKind.RISE_STREAK: (("years", "连续进位年数", 2),),
}


def _weight(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_digits=20, decimal_places=6)


def _value(label: str, initial: Decimal | None = None) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=20, decimal_places=6, initial=initial)


def _decimal(value: float | int) -> Decimal:
    return Decimal(str(value))


def _toml(value: Any) -> Any:
    """A form's value as the document writes it: 30, not 30.000000; 0.3 as a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _not_all_zero(form: forms.Form, data: dict[str, Any], names: list[str], message: str) -> None:
    values = [data.get(name) for name in names]
    if names and all(v is not None for v in values) and not any(values):
        form.add_error(names[0], message)
