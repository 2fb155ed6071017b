"""The models that may carry attachments.

An app whose objects carry evidence files registers its model here (in its ``AppConfig.ready``:
``attachable(ServiceRequest)``). The model's default manager must have ``restrict(user,
action)``: an attachment is seen by whoever may view its object and added or removed by whoever
may change it, and an attachment of a model not registered is seen by no one but a superuser.
The model's ``get_absolute_url`` is where the pages go back to after an upload or a delete.

Who may add a file is, by default, whoever may change the object. A model whose files also come
from people who may not change it (an enterprise attaching evidence to its own service request)
names a rule of ``access.permissions.RULES`` instead (``attachable(ServiceRequest,
upload_rule="servicerequests.attach")``): that rule alone decides, and a refusal is a 403.
"""

from django.db import models

ATTACHABLE: dict[str, type[models.Model]] = {}
# The permission rule that decides who may add a file to a model's objects, where one is named.
UPLOAD_RULES: dict[str, str] = {}


def attachable(model: type[models.Model], *, upload_rule: str = "") -> type[models.Model]:
    """Register ``model`` (usable as a class decorator), with the rule for uploads if any."""
    if not hasattr(model._default_manager, "restrict"):
        raise TypeError(
            f"{model._meta.label} has no restrict(): its attachments could not be scoped"
        )
    ATTACHABLE[model._meta.label_lower] = model
    if upload_rule:
        UPLOAD_RULES[model._meta.label_lower] = upload_rule
    return model
