"""Reading one table cell's text into a value, under a cell convention.

A :class:`Convention` says which texts mean "nothing here" (blank markers) and
which count units may follow a number.  Layouts name the convention they use;
conventions are registered by plugins (``register_conventions``).

Limits: a value must fit every output, so a number beyond them is not a value
but a ``cell.unparsed`` cell with its raw text kept (``Parsed.ok`` is False,
``Parsed.reason`` says why):

* a count or signed count is a whole number in the signed 64-bit range,
  -9223372036854775808 … 9223372036854775807 (``COUNT`` from 0);
* an amount, in the column's unit, has at most 6 decimal places and an
  absolute value below 10^18 (at most 18 integer digits): what ``NUMERIC(24, 6)``
  holds, exactly;
* a text with more than :data:`MAX_DIGITS` digits is not read as a number at all.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation
from typing import Literal

from govconv.errors import UsageError

#: what a blank cell (empty, -, —, /, 无) reads as: "zero" (0) or "null"
BlankPolicy = Literal["zero", "null"]
BLANK_POLICIES: tuple[BlankPolicy, ...] = ("zero", "null")


def check_blank(policy: object, name: str = "blank") -> None:
    """Refuse a blank policy that is not one of :data:`BLANK_POLICIES` (``name``: as the user wrote it)."""
    if policy not in BLANK_POLICIES:
        raise UsageError(f"{name} 只能是 {'/'.join(BLANK_POLICIES)}（收到 {policy!r}）",
                         f"blank must be one of {', '.join(BLANK_POLICIES)} (got {policy!r})")


# Kinds of column.
COUNT = "count"      # a non-negative whole number
SIGNED = "signed"    # a whole number that may be negative (本年增/减)
AMOUNT = "amount"    # a decimal amount of money in the column's unit

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_MINUS = str.maketrans({"\u2212": "-", "\ufe63": "-", "\u2010": "-", "\u2011": "-"})
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_UNIT_SCALE = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}

#: the range of a count or signed count: a signed 64-bit integer (BIGINT in every database)
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
#: the decimal places an amount may have (in its column's unit)
AMOUNT_DECIMALS = 6
#: an amount's absolute value is below this: 18 integer digits, as NUMERIC(24, 6) holds
AMOUNT_LIMIT = Decimal(10) ** 18
#: more digits than this and a text is not read as a number (long before any limit above)
MAX_DIGITS = 40
#: exact arithmetic on texts of at most MAX_DIGITS digits (a scale moves the point by ≤ 8 places)
_EXACT = Context(prec=MAX_DIGITS + 20, traps=[Inexact, InvalidOperation])
_QUANTUM = Decimal(1).scaleb(-AMOUNT_DECIMALS)


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
    #: why a number was not taken (``ok`` False): None (not a number at all), ``"range"``
    #: (beyond the limits of the module docstring) or ``"decimals"`` (an amount with more than 6)
    reason: str | None = None


def squeeze(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) and no white space at all."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).translate(_MINUS)


def parse_cell(text: str, kind: str, unit: str | None, convention: Convention) -> Parsed:
    """Read ``text`` as a value of ``kind`` (a count, a signed count or an amount in ``unit``).

    A number beyond the limits (module docstring) is not ok, with ``reason`` set.
    """
    return _parse(squeeze(text), kind, unit, convention, limits=True)


def _parse(s: str, kind: str, unit: str | None, convention: Convention, *, limits: bool) -> Parsed:
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
    if len(s) > MAX_DIGITS and sum(ch.isdigit() for ch in s) > MAX_DIGITS:
        # a number all the same (it stands where a value stands), but far too long to be one
        return Parsed(None, ok=False, reason="range") if limits else Parsed(None)
    try:
        number = _EXACT.multiply(Decimal(s), scale)
    except (InvalidOperation, Inexact):  # pragma: no cover - the regex and MAX_DIGITS admit only exact ones
        return Parsed(None, ok=False)
    if kind == AMOUNT:
        whole = number == number.to_integral_value()
        if limits:
            if number.copy_abs() >= AMOUNT_LIMIT:
                return Parsed(None, ok=False, reason="range")
            if not whole and number != number.quantize(_QUANTUM):
                return Parsed(None, ok=False, reason="decimals")
        return Parsed(int(number) if whole else number.normalize(_EXACT))
    if number != number.to_integral_value():
        return Parsed(None, ok=False)
    value = int(number)
    if limits and not INT64_MIN <= value <= INT64_MAX:
        return Parsed(None, ok=False, reason="range")
    return Parsed(value)


def looks_like_value(text: str, convention: Convention) -> bool:
    """A non-empty text that reads as a number (of any kind, however large) or a non-empty blank marker.

    The limits are not applied: a number too large to be a value still stands
    where a value stands (and is then reported as ``cell.unparsed``).
    """
    s = squeeze(text)
    if not s:
        return False
    if s in convention.blank_markers:
        return True
    return _parse(s, AMOUNT, None, convention, limits=False).ok
