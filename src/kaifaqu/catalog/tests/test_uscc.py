import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kaifaqu.catalog.uscc import ALPHABET, is_valid_uscc, uscc_check_character, uscc_problem
from kaifaqu.catalog.validators import validate_uscc

VALID = "91350100M000100Y43"


def test_published_example_is_valid():
    assert is_valid_uscc(VALID)
    assert uscc_check_character(VALID[:17]) == "3"


def test_wrong_check_character_is_named():
    assert uscc_problem("91350100M000100Y44") == "统一社会信用代码校验位错误:末位应为 3,实为 4"


def test_character_outside_alphabet_is_named():
    assert uscc_problem("91350100M000100Y4Z") == (
        "统一社会信用代码含非法字符:Z(不使用 I、O、Z、S、V 及小写字母)"
    )


def test_wrong_length_is_named():
    assert uscc_problem(VALID[:15]) == "统一社会信用代码应为18位,实为15位"


def test_weights_are_powers_of_three_mod_31():
    from kaifaqu.catalog.uscc import WEIGHTS

    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_validator_raises_with_code():
    with pytest.raises(ValidationError) as raised:
        validate_uscc("91350100M000100Y44")
    assert raised.value.code == "invalid_uscc"


codes = st.text(alphabet=ALPHABET, min_size=17, max_size=17).map(
    lambda first17: first17 + uscc_check_character(first17)
)


@given(code=codes, position=st.integers(0, 17), replacement=st.sampled_from(ALPHABET + "IOZSVa"))
def test_every_single_character_change_is_rejected(code, position, replacement):
    # Given a valid code and a different character at one position
    changed = code[:position] + replacement + code[position + 1 :]
    # Then the change is rejected unless it is no change at all
    assert is_valid_uscc(changed) == (changed == code)


@given(code=codes)
def test_generated_codes_are_valid(code):
    assert is_valid_uscc(code)
