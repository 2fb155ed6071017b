from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    """Policy documents read into proposed tasks, reviewed by a clerk, then supervised."""

    name = "kaifaqu.policies"
    verbose_name = "政策任务"

    def ready(self) -> None:
        from kaifaqu.attachments.registry import attachable
        from kaifaqu.policies import jobs  # noqa: F401  # registers the job kinds
        from kaifaqu.policies.models import PolicyDocument, ProgressReport

        attachable(PolicyDocument)
        attachable(ProgressReport)
