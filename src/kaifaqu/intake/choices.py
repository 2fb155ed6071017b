from django.db import models


class ImportKind(models.TextChoices):
    ZONES = "zones", "开发区名录"
    ENTERPRISES = "enterprises", "企业名录"
    ENTERPRISE_YEARS = "enterprise-years", "企业年度数据"
    ZONE_YEARS = "zone-years", "开发区年度指标"
    INVESTMENT_PROJECTS = "investment-projects", "招商项目"
    INVESTMENT_STAGES = "investment-stages", "招商项目阶段更新"


class ImportPolicy(models.TextChoices):
    REJECT = "reject", "有错误则整个文件不导入"
    KEEP_VALID = "keep-valid", "只导入无错误的行"


class BatchState(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    VALIDATED = "validated", "已校验"
    REFUSED = "refused", "未通过校验"
    COMMITTED = "committed", "已导入"
    UNDONE = "undone", "已撤销"


class Severity(models.TextChoices):
    ERROR = "error", "错误"
    WARNING = "warning", "警告"
