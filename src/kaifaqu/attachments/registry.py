"""The models that may carry attachments.

An app whose objects carry evidence files registers its model here (in its ``AppConfig.ready``:
``attachable(ServiceRequest)``). The model's default manager must have ``restrict(user,
action)``: an attachment is seen by whoever may view its object and added or removed by whoever
may change it, and an attachment of a model not registered is seen by no one but a superuser.
The model's ``get_absolute_url`` is where the pages go back to after an upload or a delete.
"""

from django.db import models

ATTACHABLE: dict[str, type[models.Model]] = {}


def attachable(model: type[models.Model]) -> type[models.Model]:
    """Register ``model`` (usable as a class decorator)."""
    if not hasattr(model._default_manager, "restrict"):
        raise TypeError(
            f"{model._meta.label} has no restrict(): its attachments could not be scoped"
        )
    ATTACHABLE[model._meta.label_lower] = model
    return model
