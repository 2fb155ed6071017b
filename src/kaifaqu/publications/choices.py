from django.db import models


class PublicationKind(models.TextChoices):
    RANKING = "ranking", "排名通报"
    PUBLICITY = "publicity", "公示名单"
    GRADE_LIST = "grade_list", "评价结果名单"


class PublicationState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
