"""Exporters ``json`` and ``jsonl``: the contract's JSON shape.

``json`` writes one object for one report and an array for several; ``jsonl``
one object per line.  Both stream: a batch of thousands is written report by
report, never held whole.

Amounts are written digit for digit: a fractional amount is a JSON number
with exactly the decimals it was read with (123456789012.123456, never the
nearest float).
"""
from __future__ import annotations

import itertools
import json
from decimal import Decimal

from govconv import Exporter, hookimpl
from govconv.reading.patterns import lazy


class JsonExporter(Exporter):
    name = "json"
    extension = "json"
    description = "JSON in the shape of docs/contract.md (schema: govconv schema json)"
    options = {"indent": (("0", "1", "2", "4"), "2", "spaces of indentation (0: one line)")}

    def stream(self, reports, stream, options) -> None:
        indent = int(options.get("indent") or 2) or None
        items = iter(reports)
        head = list(itertools.islice(items, 2))
        if len(head) == 1:
            stream.write(dumps_exact(head[0].to_dict(exact=True), indent).encode("utf-8") + b"\n")
            return
        newline = b"\n" if indent else b""
        started = False
        for report in itertools.chain(head, items):
            text = dumps_exact(report.to_dict(exact=True), indent)
            if indent:
                text = "\n".join(" " * indent + line for line in text.split("\n"))
            stream.write((b"," if started else b"[") + newline + text.encode("utf-8"))
            started = True
        stream.write((newline + b"]\n") if started else b"[]\n")


class JsonLinesExporter(Exporter):
    name = "jsonl"
    extension = "jsonl"
    description = "JSON Lines: one report per line, in the shape of docs/contract.md (streams any batch)"
    options = {}

    def stream(self, reports, stream, options) -> None:
        for report in reports:
            stream.write(dumps_exact(report.to_dict(exact=True), None).encode("utf-8") + b"\n")
            stream.flush()


_MARK = lazy(r'"\\u0000(\d+)\\u0000"')


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
    register(JsonLinesExporter())
