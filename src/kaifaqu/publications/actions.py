"""Writes of the publications app."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.events import record_domain_event
from kaifaqu.audit.writes import audited_save
from kaifaqu.publications.choices import PublicationState
from kaifaqu.publications.models import Publication


def publish(publication: Publication, *, acting_user: ActingUser) -> Publication:
    """Make a draft visible to its audience; only a role allowed to publish may."""
    if not Publication.objects.restrict(acting_user, "publish").filter(pk=publication.pk).exists():
        raise ValidationError("您无权发布该草稿")
    if not publication.audience_roles.exists() or not publication.audience_regions.exists():
        raise ValidationError("发布前须指定可见角色和可见区划")
    with transaction.atomic():
        publication.state = PublicationState.PUBLISHED
        publication.published = timezone.now()
        audited_save(publication, acting_user=acting_user)
        record_domain_event(
            "publication_published",
            summary=f"发布:{publication.title}",
            acting_user=acting_user,
            payload={"publication": publication.pk},
            province_code=publication.author_region.province_code
            if publication.author_region
            else "",
        )
    return publication
