"""The page-break sweep: every table of both templates, with the page break before each of its rows.

Two routes build the PDFs (fixtures/sweep/): LibreOffice rendering the base
.docx with the break pushed before each row (``lo/``), and reportlab drawing
the shapes WPS and Word export (``drawn/``): borders as separate segments drawn
after white cell backgrounds, a missing bottom border (and missing verticals)
at the break, empty sub-label cells and split merged cells on the continuation
page, repeated and non-repeated headers, page numbers at alternating margins.
The base reports put a distinct number in every cell, so a value that moves
one column cannot hide behind a zero.  Each PDF must read exactly: every cell,
every blank, and no finding at all.
"""
from __future__ import annotations

import json

import pytest

import govconv
from conftest import FIXTURES, wrong_cells

SWEEP = FIXTURES / "sweep"


def _entries(route: str) -> list[dict]:
    path = SWEEP / route / "manifest.json"
    if not path.exists():
        return []
    return [dict(e, route=route) for e in json.loads(path.read_text("utf-8"))]


ROUTES = ("drawn", "lo")
ENTRIES = [e for route in ROUTES for e in _entries(route)]
_EXPECTED: dict[str, dict] = {}


def expected_of(entry: dict) -> dict:
    name = entry["expected"]
    if name not in _EXPECTED:
        _EXPECTED[name] = json.loads((SWEEP / name).read_text("utf-8"))
    return _EXPECTED[name]


def test_the_sweep_covers_every_row_of_every_table():
    """Both routes, both templates, all three tables, the break before every row."""
    for route in ROUTES:
        entries = [e for e in ENTRIES if e["route"] == route]
        assert entries, f"fixtures/sweep/{route}/manifest.json is missing"
        for layout in ("gov2019", "gov2021"):
            for table in ("active", "applications", "review_litigation"):
                ks = {e["break_before_row"] for e in entries if e["layout"] == layout and e["table"] == table}
                assert ks, (route, layout, table)
                if route == "drawn":           # drawn: every boundary, exactly
                    assert ks == set(range(1, max(ks) + 1)), (layout, table, sorted(ks))
    drawn = {e.get("variant") or e.get("style") for e in ENTRIES if e["route"] == "drawn"}
    assert {"wps", "wps-repeat", "wps-bare", "word"} <= drawn


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e['route']}/{e['file']}" for e in ENTRIES])
def test_sweep_pdf_reads_exactly(entry):
    want = expected_of(entry)
    report = govconv.convert(SWEEP / entry["route"] / entry["file"])
    d = report.to_dict()
    bad = wrong_cells(d["tables"], want["tables"])
    assert not bad, f"{len(bad)} wrong cells:\n" + "\n".join(bad[:10])
    assert d["layout"] == want["layout"]
    assert report.blank_cells() == want["blank_cells"]
    assert report.finding_rules() == want["finding_rules"], [f.message_en for f in report.findings]
    assert d["meta"]["year"] == want["meta"]["year"]
    assert not any(c.uncertain for c in report.cells())
