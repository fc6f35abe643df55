"""Exporter ``json``: the contract's JSON shape, one object per report (an array for several)."""
from __future__ import annotations

import json

from govconv import Exporter, hookimpl


class JsonExporter(Exporter):
    name = "json"
    extension = "json"
    description = "JSON in the shape of docs/contract.md (schema: govconv schema json)"
    options = {"indent": (("0", "1", "2", "4"), "2", "spaces of indentation (0: one line)")}

    def export(self, reports, stream, options) -> None:
        indent = int(options.get("indent") or 2) or None
        body = [r.to_dict() for r in reports]
        data = body[0] if len(body) == 1 else body
        stream.write(json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8"))
        stream.write(b"\n")


@hookimpl
def register_exporters(register):
    register(JsonExporter())
