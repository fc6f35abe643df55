"""Reading one table cell's text into a value, under a cell convention.

A :class:`Convention` says which texts mean "nothing here" (blank markers) and
which count units may follow a number.  Layouts name the convention they use;
conventions are registered by plugins (``register_conventions``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Kinds of column.
COUNT = "count"      # a non-negative whole number
SIGNED = "signed"    # a whole number that may be negative (本年增/减)
AMOUNT = "amount"    # a decimal amount of money in the column's unit

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_MINUS = str.maketrans({"\u2212": "-", "\ufe63": "-", "\u2010": "-", "\u2011": "-"})
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_UNIT_SCALE = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass(frozen=True)
class Convention:
    """How a family of reports writes its cells."""

    name: str
    blank_markers: frozenset[str]
    count_units: tuple[str, ...] = ()
    description: str = ""

    def is_blank(self, text: str) -> bool:
        return squeeze(text) in self.blank_markers


@dataclass(frozen=True)
class Parsed:
    value: int | Decimal | None
    blank: bool = False
    ok: bool = True          # False: the text is neither a number nor a blank marker


def squeeze(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) and no white space at all."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).translate(_MINUS)


def parse_cell(text: str, kind: str, unit: str | None, convention: Convention) -> Parsed:
    """Read ``text`` as a value of ``kind`` (a count, a signed count or an amount in ``unit``)."""
    s = squeeze(text)
    if s in convention.blank_markers:
        return Parsed(None, blank=True)
    scale = Decimal(1)
    if kind == AMOUNT:
        for name in sorted(_UNIT_SCALE, key=len, reverse=True):
            if s.endswith(name):
                s = s[: -len(name)]
                target = _UNIT_SCALE.get(unit or "元", Decimal(1))
                scale = _UNIT_SCALE[name] / target
                break
    else:
        for u in convention.count_units:
            if s.endswith(u) and len(s) > len(u):
                s = s[: -len(u)]
                break
    if _GROUPED.match(s.lstrip("+-")):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        return Parsed(None, ok=False)
    if s.startswith(("+", "-")) and kind != SIGNED:
        if not (kind == AMOUNT and s.startswith("+")):
            return Parsed(None, ok=False)
    try:
        number = Decimal(s) * scale
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return Parsed(None, ok=False)
    if kind == AMOUNT:
        return Parsed(int(number) if number == number.to_integral_value() else number.normalize())
    if number != number.to_integral_value():
        return Parsed(None, ok=False)
    return Parsed(int(number))


def looks_like_value(text: str, convention: Convention) -> bool:
    """A non-empty text that reads as a number (of any kind) or a non-empty blank marker."""
    s = squeeze(text)
    if not s:
        return False
    if s in convention.blank_markers:
        return True
    return parse_cell(s, AMOUNT, None, convention).ok
