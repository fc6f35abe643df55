"""Exporter ``json``: the contract's JSON shape, one object per report (an array for several).

Amounts are written digit for digit: a fractional amount is a JSON number
with exactly the decimals it was read with (123456789012.123456, never the
nearest float).
"""
from __future__ import annotations

import json
import re
from decimal import Decimal

from govconv import Exporter, hookimpl


class JsonExporter(Exporter):
    name = "json"
    extension = "json"
    description = "JSON in the shape of docs/contract.md (schema: govconv schema json)"
    options = {"indent": (("0", "1", "2", "4"), "2", "spaces of indentation (0: one line)")}

    def export(self, reports, stream, options) -> None:
        indent = int(options.get("indent") or 2) or None
        body = [r.to_dict(exact=True) for r in reports]
        data = body[0] if len(body) == 1 else body
        stream.write(dumps_exact(data, indent).encode("utf-8"))
        stream.write(b"\n")


_MARK = re.compile(r'"\\u0000(\d+)\\u0000"')


def dumps_exact(data, indent: int | None) -> str:
    """json.dumps, with every Decimal printed as the number it is.

    Each Decimal first goes out as a marker string holding NUL (which no report
    text holds: the model removes it), then the marker is replaced by the digits.
    """
    digits: list[str] = []

    def mark(o):
        if isinstance(o, Decimal):
            digits.append(format(o, "f"))
            return f"\x00{len(digits) - 1}\x00"
        raise TypeError(f"{type(o).__name__} is not JSON serialisable")

    text = json.dumps(data, ensure_ascii=False, indent=indent, default=mark)
    return _MARK.sub(lambda m: digits[int(m.group(1))], text) if digits else text


@hookimpl
def register_exporters(register):
    register(JsonExporter())
