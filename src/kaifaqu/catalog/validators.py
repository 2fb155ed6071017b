from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from kaifaqu.catalog.uscc import uscc_problem

division_code_validator = RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字(GB/T 2260)")


def validate_uscc(value: str) -> None:
    problem = uscc_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_uscc")
