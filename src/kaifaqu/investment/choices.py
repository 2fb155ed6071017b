from django.db import models


class Stage(models.TextChoices):
    """A project's stage: the main line 线索 → … → 达产/运营, and the side states 暂缓, 终止."""

    LEAD = "lead", "线索"
    RESERVE = "reserve", "储备"
    NEGOTIATING = "negotiating", "洽谈"
    SIGNED = "signed", "签约"
    REGISTERED = "registered", "注册"
    STARTED = "started", "开工"
    PRODUCING = "producing", "投产"
    OPERATING = "operating", "达产/运营"
    PAUSED = "paused", "暂缓"
    TERMINATED = "terminated", "终止"


# The main line, in order; a project moves forward along it one stage at a time.
MAIN_LINE: tuple[Stage, ...] = (
    Stage.LEAD,
    Stage.RESERVE,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.STARTED,
    Stage.PRODUCING,
    Stage.OPERATING,
)
# Stages a project no longer leaves.
FINAL_STAGES: tuple[Stage, ...] = (Stage.OPERATING, Stage.TERMINATED)
# Stages of a project still being worked on (the board's columns and the open pipeline).
OPEN_STAGES: tuple[Stage, ...] = (*MAIN_LINE[:-1], Stage.PAUSED)


class ClientSource(models.TextChoices):
    """Where a 招商目标客户 came from."""

    CHAIN_LEADER = "chain_leader", "链主引荐"
    BUSINESS = "business", "以商招商"
    EXPO = "expo", "展会"
    TARGET_LIST = "target_list", "靶向清单"
    OTHER = "other", "其他"


class ChangeKind(models.TextChoices):
    """What a stage-history entry records."""

    TRANSITION = "transition", "阶段变更"
    UNDO = "undo", "撤销"
