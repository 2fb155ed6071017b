from django.apps import AppConfig


class MujunConfig(AppConfig):
    """亩均效益综合评价: schemes, evaluation runs, grades, differentiated policies."""

    name = "kaifaqu.mujun"
    verbose_name = "亩均效益评价"
