from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Supervised items (督办): numbered work assigned to units with deadlines and escalation."""

    name = "kaifaqu.supervision"
    verbose_name = "督办"
