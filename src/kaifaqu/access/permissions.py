"""Who may take an action, asked the same way by the action that refuses and the page that
offers it.

``can(user, "mujun.start_publicity", run)`` answers for a button, a link or a form (the
``{% can %}`` tag of ``core``); ``ensure_can`` is what the action itself calls, raising
``PermissionDenied`` with the rule's message. One rule per action, so the page never offers
what the server refuses.

A rule names the business-role action the user's role must allow ("change", "publish",
"object"), optionally the scope the object must be in for the user (``restrict(user, scope)`` of
its own model, after following ``path`` from the object given, e.g. an objection's run), and
optionally a further condition. Duties follow the documents: the office of a run's jurisdiction
(province, city or county, or the zone for a zone's own run) opens its 公示, decides its
objections and corrects it; its manager publishes; an enterprise or a zone files objections; a
zone office publishes nothing that names zones beyond its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from kaifaqu.access.choices import Binding
from kaifaqu.access.scope import has_business_role, user_profile
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.choices import RegionLevel


@dataclass(frozen=True)
class Rule:
    role_action: str
    refusal: str
    scope: str | None = None  # the object must be in ``restrict(user, scope)``
    path: str = ""  # dotted attributes from the object given to the one whose scope decides
    also: Callable[[ActingUser, Any], bool] | None = None  # a further condition on (user, object)


def _bureau(user: ActingUser, obj: Any) -> bool:
    """A division's office (province, city or county), not a zone's or an enterprise's: what
    it makes is owned by its division."""
    profile = user_profile(user)
    return bool(
        profile and profile.role and profile.role.binding == Binding.REGION and profile.region
    )


def _not_own_objection(user: ActingUser, objection: Any) -> bool:
    return objection is None or objection.filed_by_id != user.pk


def _covers_every_result(user: ActingUser, run: Any) -> bool:
    """Every zone the run ranks is inside the user's scope to publish: a province cannot
    publish the national ranking, a zone office no ranking naming other zones."""
    if run is None:
        return True
    results = run.results.all()
    mine = results.model._default_manager.restrict(user, "publish").values("pk")
    return not results.exclude(pk__in=mine).exists()


def _enterprise_user(user: ActingUser, obj: Any) -> bool:
    """A user bound to an enterprise (it files in its own portal)."""
    profile = user_profile(user)
    return bool(profile and profile.enterprise_id)


def _rates_request(user: ActingUser, request: Any) -> bool:
    """The enterprise that filed a request rates it; for a caller with no login, the hotline
    staff who supervise it record the caller's rating."""
    if request is None:
        return True
    profile = user_profile(user)
    if profile is not None and profile.enterprise_id:
        return bool(profile.enterprise_id == request.enterprise_id)
    item = request.item
    supervised = type(item)._default_manager.supervised_by(user).filter(pk=item.pk).exists()
    return bool(request.channel == "hotline" and supervised)


def _attaches_to_request(user: ActingUser, request: Any) -> bool:
    """Staff who may change a request attach files to it; the enterprise that filed it, and the
    hotline staff who filed it for a caller, while it is open."""
    if request is None:
        return True
    if _in_scope(user, request, "change"):
        return True
    profile = user_profile(user)
    own = bool(profile and profile.enterprise_id and profile.enterprise_id == request.enterprise_id)
    return (own or request.filed_by_id == user.pk) and bool(request.is_open)


def _task_member(user: ActingUser, task: Any) -> bool:
    """A member of a policy task's lead or supporting units (any task, for a form)."""
    return task is None or bool(task.has_member(user))


def _in_charge_or_office(user: ActingUser, project: Any) -> bool:
    """The project's person in charge, or staff who may change it (the 管委会, the bureaus)."""
    if project is None or project.person_in_charge_id == user.pk:
        return True
    return _in_scope(user, project, "change")


def _province_office(user: ActingUser, obj: Any) -> bool:
    """A province's office: what it decides holds for every zone."""
    profile = user_profile(user)
    return bool(
        profile
        and profile.role
        and profile.role.binding == Binding.REGION
        and profile.region
        and profile.region.level == RegionLevel.PROVINCE
    )


RULES: dict[str, Rule] = {
    # 亩均效益评价
    "mujun.copy_scheme": Rule("change", "只有区划主管部门可以建立评价方案", also=_bureau),
    "mujun.save_scheme": Rule("change", "该方案不在您可修改的范围内", scope="change"),
    "mujun.start_run": Rule("change", "该方案不在您的数据范围内", scope="view"),
    "mujun.start_publicity": Rule(
        "change", "只有评价范围所属的主管部门可以开始公示", scope="change"
    ),
    "mujun.publish_run": Rule(
        "publish", "只有评价范围所属主管部门的负责人可以发布", scope="change"
    ),
    "mujun.correct_published": Rule(
        "change", "只有评价范围所属的主管部门可以更正评价结果", scope="change"
    ),
    "mujun.file_objection": Rule("object", "您无权对该结果提出异议", scope="object"),
    "mujun.decide_objection": Rule(
        "change",
        "只有评价范围所属的主管部门可以处理异议,且不能处理本人提出的异议",
        scope="change",
        path="result.run",
        also=_not_own_objection,
    ),
    "mujun.change_points": Rule("change", "该企业不在您可修改的范围内", scope="change"),
    # 主体登记
    "zones.refresh_summaries": Rule("change", "您的角色无权更新年度汇总"),
    "enterprises.update_enterprise": Rule("change", "该企业不在您可修改的范围内", scope="change"),
    # 开发区考核评价
    "assessment.copy_framework": Rule("change", "只有省、市主管部门可以建立考核方案", also=_bureau),
    "assessment.save_version": Rule("change", "预置方案只读;只能修改本单位的方案", scope="change"),
    "assessment.start_run": Rule("change", "您的角色无权发起考核运行"),
    "assessment.publish_ranking": Rule(
        "publish",
        "只有覆盖全部参评开发区的部门的负责人可以发布排名通报",
        also=_covers_every_result,
    ),
    "assessment.set_target": Rule("change", "您的角色无权设定发展目标"),
    "assessment.record_deduction": Rule("change", "您的角色无权录入扣分事项"),
    # 全局查询(页头的搜索框)
    "cockpit.search": Rule("view", "您的角色无权查询开发区与企业"),
    # 企业诉求
    "servicerequests.file_own": Rule(
        "view", "只有企业用户可以在本企业门户提交诉求", also=_enterprise_user
    ),
    "servicerequests.register_call": Rule("change", "您的角色无权登记热线诉求"),
    "servicerequests.rate": Rule(
        "view",
        "只有提出诉求的企业(或代来电人回访的热线人员)可以评价",
        scope="view",
        also=_rates_request,
    ),
    "servicerequests.attach": Rule(
        "view",
        "只有提出诉求的企业(或代来电人登记的热线人员)可以在诉求办结前上传附件",
        scope="view",
        also=_attaches_to_request,
    ),
    # 政策任务
    "policies.upload_document": Rule("change", "您的角色无权上传政策文件"),
    "policies.review_task": Rule(
        "change", "该文件不在您可校核的范围内", scope="change", path="document"
    ),
    "policies.report_progress": Rule(
        "change", "只有任务责任单位的成员可以填报进展", also=_task_member
    ),
    # 招商项目
    "investment.create": Rule("change", "您的角色无权登记招商项目或目标客户"),
    "investment.change": Rule("change", "该项目不在您可修改的范围内", scope="change"),
    "investment.register_problem": Rule(
        "change",
        "只有项目负责人或项目所在开发区、区划的工作人员可以登记受阻问题",
        also=_in_charge_or_office,
    ),
    "investment.edit_light_rules": Rule(
        "change", "只有省级主管部门可以修改红黄绿灯规则", also=_province_office
    ),
}


def _follow(obj: Any, path: str) -> Any:
    for name in filter(None, path.split(".")):
        obj = getattr(obj, name)
    return obj


def _in_scope(user: ActingUser, obj: Any, action: str) -> bool:
    manager: Any = type(obj)._default_manager
    return bool(manager.restrict(user, action).filter(pk=obj.pk).exists())


def refusal(user: ActingUser, action: str, obj: Any = None) -> str | None:
    """Why ``user`` may not take ``action`` (on ``obj``), or None when it may.

    Without an object only the role is asked (a form that creates something)."""
    rule = RULES[action]
    if not has_business_role(user, rule.role_action):
        return rule.refusal
    scoped = obj is not None and rule.scope is not None
    if scoped and not _in_scope(user, _follow(obj, rule.path), rule.scope):  # type: ignore[arg-type]
        return rule.refusal
    if rule.also is not None and not rule.also(user, obj):
        return rule.refusal
    return None


def can(user: ActingUser, action: str, obj: Any = None) -> bool:
    return refusal(user, action, obj) is None


def ensure_can(user: ActingUser, action: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` with the rule's message unless ``user`` may take ``action``."""
    if (message := refusal(user, action, obj)) is not None:
        raise PermissionDenied(message)
