"""Forms of the 亩均 pages: what a page posts or narrows by, checked before any action runs."""

from typing import Any

from django import forms

from kaifaqu.access.users import ActingUser
from kaifaqu.mujun.choices import CORRECTABLE_FIELDS
from kaifaqu.mujun.models import Scheme
from kaifaqu.mujun.scheme import BENCHMARK_METHOD_LABELS, Benchmark, list_presets
from kaifaqu.mujun.scheme import Scheme as SchemeDocument
from kaifaqu.mujun.scheme_edit import SchemeEdit, current_edit
from kaifaqu.vocabulary import field_header
from kaifaqu.zones.models import Zone


class RunStartForm(forms.Form):
    """A new run: a scheme the user may read, a year, and optionally one of its zones."""

    scheme = forms.ModelChoiceField(queryset=Scheme.objects.none(), label="方案", empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.none(), label="范围", required=False, empty_label="本级全部开发区"
    )

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.restrict(user, "view")  # type: ignore[attr-defined]
        self.fields["zone"].queryset = Zone.objects.restrict(user, "change").order_by("code")  # type: ignore[attr-defined]


class ExportZoneForm(forms.Form):
    """``?zone=`` of a run's list export: one zone the user may read, or every zone."""

    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), required=False)

    def __init__(self, *args: Any, user: ActingUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.restrict(user)  # type: ignore[attr-defined]


class PresetForm(forms.Form):
    """A shipped preset to copy as a scheme of the user's region."""

    preset = forms.ChoiceField(label="预置方案", choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = list_presets()  # type: ignore[attr-defined]


class SchemeDocumentForm(forms.Form):
    """A scheme's TOML document, saved as its next version (the action parses and checks it)."""

    document = forms.CharField(label="方案文档", widget=forms.Textarea, strip=False)


class SchemeEditForm(forms.Form):
    """A scheme's figures in fields: per pool and indicator the weight and the benchmark, the
    grading shares, the 公示 window and the land threshold. ``edit()`` gives what was entered.

    A pool's weights add up to what they added up to in the version edited (百分制: 100), so
    an edit moves points between indicators and the totals stay comparable."""

    land_threshold_mu = forms.FloatField(label="参评用地面积门槛(亩)", min_value=0)
    publicity_min_days = forms.IntegerField(label="公示最短天数(自然日)", min_value=1)
    publicity_max_days = forms.IntegerField(label="公示最长天数(自然日)", min_value=1)

    def __init__(self, *args: Any, scheme: SchemeDocument, **kwargs: Any) -> None:
        self.scheme = scheme
        before = current_edit(scheme)
        kwargs["initial"] = _initial(before)
        super().__init__(*args, **kwargs)
        methods = list(BENCHMARK_METHOD_LABELS.items())
        for pool in scheme.pools:
            for code in pool.weights:
                label = f"{pool.name}「{scheme.indicator_name(code)}」"
                key = f"{pool.code}:{code}"
                self.fields[f"weight:{key}"] = _number(f"{label}的权重")
                self.fields[f"method:{key}"] = forms.ChoiceField(
                    label=f"{label}的基准方法", choices=methods
                )
                self.fields[f"value:{key}"] = _number(f"{label}的固定基准值", required=False)
                self.fields[f"factor:{key}"] = _number(f"{label}的基准倍数")
        for i in range(len(before.shares or ())):
            self.fields[f"share:{i}"] = forms.IntegerField(
                label=f"{scheme.grading.grades[i]}类及以上累计比例(%)", min_value=0, max_value=100
            )

    def pool_rows(self) -> list[tuple[str, list[list[Any]]]]:
        """Per pool its name and, per indicator, the name and its four bound fields."""
        return [
            (
                pool.name,
                [
                    [self.scheme.indicator_name(code)]
                    + [self[f"{part}:{pool.code}:{code}"] for part in PARTS]
                    for code in pool.weights
                ],
            )
            for pool in self.scheme.pools
        ]

    def share_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("share:")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for pool in self.scheme.pools:
            self._check_pool(data, pool.code, pool.name, sum(pool.weights.values()))
        names = [name for name in self.fields if name.startswith("share:")]
        shares: list[int] = [data[name] for name in names if data.get(name) is not None]
        if len(shares) == len(names) and shares != sorted(shares):
            self.add_error(None, "各等级的累计比例须逐级递增")
        low, high = data.get("publicity_min_days"), data.get("publicity_max_days")
        if low is not None and high is not None and low > high:
            self.add_error("publicity_max_days", "公示最长天数不得少于最短天数")
        return data

    def _check_pool(self, data: dict[str, Any], pool: str, name: str, total: float) -> None:
        weights: list[float] = []
        codes = self.scheme.pool(pool).weights
        for code in codes:
            key = f"{pool}:{code}"
            weight = data.get(f"weight:{key}")
            if weight is not None:
                weights.append(weight)
            if weight is not None and weight <= 0:
                self.add_error(f"weight:{key}", "权重须为正数")
            value = data.get(f"value:{key}")
            if data.get(f"method:{key}") == "fixed" and (value is None or value <= 0):
                self.add_error(f"value:{key}", "固定基准值须为正数")
            factor = data.get(f"factor:{key}")
            if factor is not None and factor <= 0:
                self.add_error(f"factor:{key}", "基准倍数须为正数")
        if len(weights) == len(codes) and round(sum(weights), 6) != round(total, 6):
            self.add_error(None, f"{name}各项权重之和须为 {total:g}(现为 {sum(weights):g})")

    def edit(self) -> SchemeEdit:
        """The figures entered (call after ``is_valid()``)."""
        data = self.cleaned_data
        before = current_edit(self.scheme)
        weights: dict[str, dict[str, float]] = {}
        benchmarks: dict[str, dict[str, Benchmark]] = {}
        for pool in self.scheme.pools:
            weights[pool.code], benchmarks[pool.code] = {}, {}
            for code, was in pool.benchmarks.items():
                key = f"{pool.code}:{code}"
                weights[pool.code][code] = data[f"weight:{key}"]
                benchmarks[pool.code][code] = Benchmark(
                    method=data[f"method:{key}"],
                    value=data[f"value:{key}"],
                    factor=data[f"factor:{key}"],
                    percentile=was.percentile,
                )
        shares = [data[name] for name in self.fields if name.startswith("share:")]
        return SchemeEdit(
            weights=weights,
            benchmarks=benchmarks,
            shares=tuple(shares) if before.shares is not None else None,
            publicity_days=(data["publicity_min_days"], data["publicity_max_days"]),
            land_threshold_mu=data["land_threshold_mu"],
        )


# The fields of one indicator of one pool, in the order the editor's table shows them.
PARTS = ("weight", "method", "value", "factor")


def _number(label: str, *, required: bool = True) -> forms.FloatField:
    return forms.FloatField(label=label, required=required, error_messages={"invalid": "须为数字"})


def _initial(edit: SchemeEdit) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "land_threshold_mu": edit.land_threshold_mu,
        "publicity_min_days": edit.publicity_days[0],
        "publicity_max_days": edit.publicity_days[1],
    }
    for pool, weights in edit.weights.items():
        for code, weight in weights.items():
            benchmark = edit.benchmarks[pool][code]
            key = f"{pool}:{code}"
            initial |= {
                f"weight:{key}": weight,
                f"method:{key}": benchmark.method,
                f"value:{key}": benchmark.value,
                f"factor:{key}": benchmark.factor,
            }
    for i, share in enumerate(edit.shares or ()):
        initial[f"share:{i}"] = share
    return initial


class PublicityForm(forms.Form):
    """The 公示 window; the action checks it against today and the scheme's limits."""

    start = forms.DateField(label="公示开始日期", error_messages={"required": "请填写公示开始日期"})
    end = forms.DateField(label="公示结束日期", error_messages={"required": "请填写公示结束日期"})


class ObjectionForm(forms.Form):
    """An objection to a result: reason, evidence, and the recorded values asked to correct."""

    reason = forms.CharField(label="异议理由")
    evidence = forms.CharField(label="证据说明")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CORRECTABLE_FIELDS:
            label = field_header(name)
            self.fields[name] = forms.FloatField(
                label=label, required=False, error_messages={"invalid": f"「{label}」须为数字"}
            )

    def clean(self) -> dict[str, Any]:
        """Also ``corrected_values``: the recorded values asked to correct, those filled in."""
        super().clean()
        data = self.cleaned_data
        values = (data.get(name) for name in CORRECTABLE_FIELDS)
        data["corrected_values"] = {
            n: v for n, v in zip(CORRECTABLE_FIELDS, values, strict=True) if v is not None
        }
        return data


class DecisionForm(forms.Form):
    """The bureau's decision on an objection."""

    decision = forms.ChoiceField(
        label="处理结果", choices=[("accept", "采纳"), ("reject", "不采纳")]
    )
    note = forms.CharField(label="处理意见", required=False)
