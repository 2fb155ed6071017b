"""The left navigation: the platform's modules. Modules not built yet show as disabled entries."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str | None  # None: the module is planned but not built yet
    icon: str = "•"
    audience: str = "business"  # "business", or the administrator kind the page is for
    required_action: str = "view"  # what a business role must allow (the page's own gate)


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


NAVIGATION: tuple[NavSection, ...] = (
    NavSection(
        "总览", (NavItem("驾驶舱", "home", "◎"), NavItem("消息通知", "notifications:inbox", "✉"))
    ),
    NavSection(
        "主体登记",
        (
            NavItem("开发区", "zones:zone_list", "▦"),
            NavItem("企业", "enterprises:enterprise_list", "▤"),
            NavItem("数据导入", "intake:import", "⇪", required_action="change"),
        ),
    ),
    NavSection(
        "评价考核",
        (
            NavItem("亩均效益评价", "mujun:run_list", "◇"),
            NavItem("亩均评价方案", "mujun:scheme_list", "◈"),
            NavItem("开发区考核评价", "assessment:index", "◆"),
            NavItem("公开发布", "publications:publication_list", "☰"),
        ),
    ),
    NavSection(
        "招商与产业",
        (
            NavItem("招商项目", "investment:project_list", "▷"),
            NavItem("招商指标", "investment:kpis", "▤"),
            NavItem("产业链(链长制)", None, "⛓"),
            NavItem("培育库", None, "✚"),
        ),
    ),
    NavSection(
        "企业服务",
        (
            NavItem("督办事项", "supervision:item_list", "⚑"),
            NavItem("督办台账", "supervision:board", "⚠"),
            NavItem("单位", "units:unit_list", "⌂"),
            NavItem("服务诉求", "servicerequests:request_list", "✉"),
            NavItem("诉求清零统计", "servicerequests:statistics", "◔"),
            NavItem("政策任务", "policies:document_list", "☑"),
        ),
    ),
    NavSection(
        "系统",
        (
            NavItem("后台任务", "jobs:job_list", "⟳"),
            NavItem("安全管理", "access:security", "⚿", audience="security_admin"),
            NavItem("审计", "audit:console", "⚖", audience="audit_admin"),
            NavItem("系统管理", "admin:index", "⚙", audience="system_admin"),
        ),
    ),
)
