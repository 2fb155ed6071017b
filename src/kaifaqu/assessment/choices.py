"""Vocabulary of the assessment app."""

from django.db import models


class RunState(models.TextChoices):
    QUEUED = "queued", "排队中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class RankingLevel(models.TextChoices):
    """Which ranking a run is: across provinces (the MOFCOM national one) or within one province."""

    NATIONAL = "national", "全国排名"
    PROVINCIAL = "provincial", "全省排名"


class RuleKind(models.TextChoices):
    BOTTOM = "bottom", "当年排名后N位"
    TOP = "top", "当年排名前N位"
    BOTTOM_IN_YEARS = "bottom_in_years", "m年内k次位列后N位"
    FALL_STREAK = "fall_streak", "连续退位"
    RISE_STREAK = "rise_streak", "连续进位"


class RuleAction(models.TextChoices):
    TALK = "talk", "约谈"
    RECTIFY = "rectify", "约谈整改"
    DOWNGRADE = "downgrade", "降级候选"
    DELIST = "delist", "摘牌"
    COMMEND = "commend", "通报表彰"
    UPGRADE = "upgrade", "晋级推荐"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word(DOCX)"


class DeductionItem(models.TextChoices):
    """Entered items the presets read: deductions (扣分) and the disqualifying accident."""

    INSPECTION_CENTRAL = "inspection_central", "中央巡视巡察发现问题(每个扣0.3分)"
    INSPECTION_PROVINCIAL = "inspection_provincial", "省级巡视巡察发现问题(每个扣0.2分)"
    NEGATIVE_CASE_CENTRAL = "negative_case_central", "中央通报负面典型案例(每个扣1.5分)"
    NEGATIVE_CASE_PROVINCIAL = "negative_case_provincial", "省级通报负面典型案例(每个扣0.5分)"
    MAJOR_ACCIDENT = "major_accident", "重大及以上安全生产或生态环境事故(取消当年资格)"


class RankScope(models.TextChoices):
    """Which rank a framework publishes (``[assessment] published_rank``) or a rule reads."""

    OVERALL = "overall", "总排名"
    GROUP = "group", "比较组内排名"
