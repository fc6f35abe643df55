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
