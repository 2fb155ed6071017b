"""An enterprise's status in an evaluation (METHODS §1.2), without Django for the offline CLI."""

from enum import StrEnum


class Status(StrEnum):
    GRADED = "graded"  # 参评: scored, ranked, graded
    EXEMPT = "exempt"  # 免评: scored, not counted, not graded
    PROTECTED = "protected"  # 暂评 / 保护期: scored, not counted, not graded
    UNGRADED = "ungraded"  # 不定等级 (T类): scored, not counted, managed as B
    NOT_EVALUATED = "not_evaluated"  # land or staff missing or zero: listed with the reason
    OUT_OF_SCOPE = "out_of_scope"  # industry, land threshold or no pool


LABELS = {
    Status.GRADED: "参评",
    Status.EXEMPT: "免评",
    Status.PROTECTED: "保护期",
    Status.UNGRADED: "不定等级",
    Status.NOT_EVALUATED: "不参评(数据不全)",
    Status.OUT_OF_SCOPE: "不在评价范围",
}

# Statuses that still get scores; only GRADED units count for quotas and benchmarks.
SCORED = (Status.GRADED, Status.EXEMPT, Status.PROTECTED, Status.UNGRADED)
