from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    """The 招商 pipeline: target clients, projects by stage with evidence, visits, fund
    arrivals, and each blocking problem supervised as a ZS item."""

    name = "kaifaqu.investment"
    verbose_name = "招商项目"

    def ready(self) -> None:
        from kaifaqu.attachments.registry import attachable
        from kaifaqu.investment.actions import send_visit_reminders
        from kaifaqu.investment.models import FundArrival, Project
        from kaifaqu.notifications.daily import register_daily_notice

        attachable(Project)
        attachable(FundArrival)
        register_daily_notice("visit_reminders", send_visit_reminders)
