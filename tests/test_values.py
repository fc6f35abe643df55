"""The spec's value rules, one source text at a time."""
from decimal import Decimal

import pytest

from govconv.model.values import AMOUNT, COUNT, SIGNED, parse_cell
from govconv_plugins.national_conventions import NATIONAL, STRICT


@pytest.mark.parametrize("text,value", [
    ("0", 0), ("1 ", 1), ("\u300012", 12), ("１２", 12), ("1,234", 1234), ("1\u00a0", 1), ("12\u3000", 12),
    ("　　0", 0), ("1,234,567", 1234567), ("５件", 5), ("16条", 16), ("３\u00a0", 3),
])
def test_counts(text, value):
    p = parse_cell(text, COUNT, None, NATIONAL)
    assert (p.value, p.blank, p.ok) == (value, False, True)


@pytest.mark.parametrize("text", ["", "-", "—", "/", "无", "－", "——", "／", " - ", "\u3000"])
def test_blank_markers(text):
    p = parse_cell(text, COUNT, None, NATIONAL)
    assert (p.value, p.blank, p.ok) == (None, True, True)


@pytest.mark.parametrize("text", ["约10", "见附件", "1.5", "-3", "1,23", "12个人", "10+2"])
def test_unparsed_counts(text):
    p = parse_cell(text, COUNT, None, NATIONAL)
    assert (p.value, p.blank, p.ok) == (None, False, False)


@pytest.mark.parametrize("text,value", [("-3", -3), ("+2", 2), ("－５", -5), ("\u22124", -4), ("0", 0)])
def test_signed_change(text, value):
    assert parse_cell(text, SIGNED, None, NATIONAL).value == value


@pytest.mark.parametrize("text,unit,value", [
    ("1033427.25元", "元", Decimal("1033427.25")), ("103.5万元", "元", 1035000), ("378.0169万元", "元", 3780169),
    ("4359957元", "元", 4359957), ("96171.6", "万元", Decimal("96171.6")), ("5000元", "万元", Decimal("0.5")),
    ("1,033,427.25 元", "元", Decimal("1033427.25")), ("１２万元", "万元", 12),
])
def test_amounts(text, unit, value):
    p = parse_cell(text, AMOUNT, unit, NATIONAL)
    assert p.ok and p.value == value and type(p.value) is type(value)


def test_strict_convention_flags_markers():
    assert parse_cell("-", COUNT, None, STRICT).ok is False
    assert parse_cell("", COUNT, None, STRICT).blank is True
    assert parse_cell("5件", COUNT, None, STRICT).ok is False


# -- limits: what every output holds exactly ------------------------------------------------------------

INT64_MAX = 2 ** 63 - 1


@pytest.mark.parametrize("text,kind,value", [
    ("9223372036854775807", COUNT, INT64_MAX),                   # the largest count there is
    ("9,223,372,036,854,775,807", COUNT, INT64_MAX),
    ("-9223372036854775808", SIGNED, -(2 ** 63)),
    ("+9223372036854775807", SIGNED, INT64_MAX),
    ("0000000000000000000000000000001", COUNT, 1),              # leading zeros are no size
])
def test_counts_up_to_64_bits(text, kind, value):
    p = parse_cell(text, kind, None, NATIONAL)
    assert p.ok and p.value == value and type(p.value) is int


@pytest.mark.parametrize("text,kind", [
    ("9223372036854775808", COUNT), ("12345678901234567890", COUNT), ("1" * 25, COUNT), ("1" * 500, COUNT),
    ("-9223372036854775809", SIGNED), ("9223372036854775808", SIGNED), ("99,999,999,999,999,999,999", COUNT),
    ("9223372036854775808件", COUNT),
])
def test_counts_beyond_64_bits_are_not_values(text, kind):
    p = parse_cell(text, kind, None, NATIONAL)
    assert (p.value, p.blank, p.ok, p.reason) == (None, False, False, "range")


@pytest.mark.parametrize("text,unit,value", [
    ("999999999999999999.999999", "元", Decimal("999999999999999999.999999")),   # NUMERIC(24, 6) at its fullest
    ("999999999999999999", "元", 999999999999999999),
    ("0.000001", "元", Decimal("0.000001")),
    ("0.01元", "万元", Decimal("0.000001")),                   # 6 decimals once in the column's unit
    ("1.250000000", "元", Decimal("1.25")),                    # trailing zeros are no decimals
    ("99999999999999.9999万元", "元", 999999999999999999),
])
def test_amounts_up_to_the_limits(text, unit, value):
    p = parse_cell(text, AMOUNT, unit, NATIONAL)
    assert p.ok and p.value == value and type(p.value) is type(value)


@pytest.mark.parametrize("text,unit,reason", [
    ("1000000000000000000", "元", "range"), ("1000000000000000000.5", "元", "range"),
    ("100000000000000万元", "元", "range"), ("1" * 60, "元", "range"),
    ("0.1234567", "万元", "decimals"), ("0.001元", "万元", "decimals"), ("1.0000001", "元", "decimals"),
    ("0." + "0" * 40 + "1", "元", "range"),                  # more than MAX_DIGITS digits: not read at all
])
def test_amounts_beyond_the_limits_are_not_values(text, unit, reason):
    p = parse_cell(text, AMOUNT, unit, NATIONAL)
    assert (p.value, p.ok, p.reason) == (None, False, reason)


def test_a_number_beyond_the_limits_still_stands_where_a_value_stands():
    from govconv.model.values import looks_like_value

    assert looks_like_value("1" * 30, NATIONAL) and looks_like_value("1" * 500, NATIONAL)
    assert looks_like_value("0.1234567", NATIONAL)
    assert not looks_like_value("约" + "1" * 30, NATIONAL)


def test_a_huge_count_is_cell_unparsed_with_its_raw_text():
    import govconv
    from conftest import SEEDS

    text = (SEEDS / "002_4a81d0f783bbd2ce.txt").read_text("utf-8")
    lines = text.split("\n")
    i = lines.index("\t一、本年新收政府信息公开申请数量") + 1
    lines[i] = "\t12345678901234567890"
    report = govconv.convert("\n".join(lines).encode("utf-8"), name="huge.txt")
    cell = report.cell("applications.new.natural_person")
    assert cell.value is None and cell.raw == "12345678901234567890"
    unparsed = [f for f in report.findings if f.rule == "cell.unparsed"]
    assert [f.cells for f in unparsed] == [["applications.new.natural_person"]]
    assert unparsed[0].values == {"applications.new.natural_person": "12345678901234567890"}
