"""统一社会信用代码 (USCC), GB 32100-2015.

Eighteen characters from a 31-symbol alphabet; the last is a check character over the first 17 with
weights 3ⁱ mod 31:

>>> is_valid_uscc("91350100M000100Y43")
True
>>> uscc_check_character("91350100M000100Y4")
'3'
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code (which must be in the alphabet)."""
    total = sum(_VALUE[symbol] * weight for symbol, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC, in words a clerk understands, or None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位,实为{len(code)}位"
    bad = sorted({symbol for symbol in code if symbol not in _VALUE})
    if bad:
        return f"统一社会信用代码含非法字符:{''.join(bad)}(不使用 I、O、Z、S、V 及小写字母)"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误:末位应为 {expected},实为 {code[17]}"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None
