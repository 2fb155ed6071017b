"""The columnar reading: exact values and every mistake named."""

from decimal import Decimal

from kaifaqu.spreadsheets.columnar import read_column
from kaifaqu.spreadsheets.columns import ZERO, column, money_column
from kaifaqu.vocabulary import ENTERPRISE_YEAR

REVENUE = money_column("operating_revenue", ENTERPRISE_YEAR["operating_revenue"])  # not negative
EMPLOYEES = column("avg_employees", ENTERPRISE_YEAR["avg_employees"], "integer", minimum=ZERO)


def test_plain_and_unusual_cells_read_alike():
    # Given plain numbers, numbers Python reads but the vector pass leaves alone, and mistakes
    cells = [900.5, "1,234.5", " 12 ", "１２３", "1e2", "+5", None, "  ", "九百", -1.0, True]

    read = read_column(cells, REVENUE, Decimal(1))

    # Then the values are exact (held to 12 places) and each mistake is named
    assert read.values.to_list() == [
        Decimal("900.500000000000"),
        Decimal("1234.500000000000"),
        Decimal("12.000000000000"),
        Decimal("123.000000000000"),
        Decimal("100.000000000000"),
        Decimal("5.000000000000"),
        None,
        None,
        None,
        None,
        None,
    ]
    assert [(i, e.code, e.message) for i, e in read.errors] == [
        (8, "not_a_number", "「营业收入」应为数字(单位:万元)"),
        (9, "out_of_range", "「营业收入」不能为负数"),
        (10, "not_a_number", "「营业收入」应为数字(单位:万元)"),
    ]


def test_yuan_are_converted_exactly_and_cut_not_rounded():
    # 元 → 万元 moves the point four places; the value keeps 12 places, cut, so that rounding
    # half up to the stored 4 places later sees the true digit
    cells = [12345, "12345.5", 0.00015, "4999.99999999999999"]

    read = read_column(cells, REVENUE, Decimal("0.0001"))

    assert read.values.to_list() == [
        Decimal("1.234500000000"),
        Decimal("1.234550000000"),
        Decimal("0.000000015000"),
        Decimal("0.499999999999"),
    ]
    assert read.errors == []


def test_integers_and_negative_integers():
    read = read_column([92.0, "1,200", 3.5, -2], EMPLOYEES, Decimal(1))
    assert read.values.to_list() == [92, 1200, None, None]
    assert [(i, e.code) for i, e in read.errors] == [(2, "not_an_integer"), (3, "out_of_range")]
