from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """开发区考核评价: frameworks, annual rankings with intervals, dynamic management, profiles."""

    name = "kaifaqu.assessment"
    verbose_name = "开发区考核评价"
