"""The ``xml`` exporter: valid against the shipped XSD, and carrying everything the JSON carries."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from importlib import resources

import pytest
from lxml import etree

import govconv
from govconv import Finding
from govconv.model.report import plain_number

from conftest import SEED_NAMES, SEEDS, expected, flat_tables, validate_report_json, wrong_cells

NS = "urn:govconv:report:1"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

# everything that must survive byte for byte (all of it is allowed in XML 1.0)
SAFE_HOSTILE = "it's \\ back\\slash \\' \\n \"dq\" '); DROP TABLE reports; -- \x7f \x85 𠀀 😀 \r\n\t <b>&amp;</b> ]]> end"
# characters XML 1.0 forbids: replaced by U+FFFD and recorded in `replaced`
FORBIDDEN = "\x01\x1b\x08\x0b\x0c\x1f\ufffe\uffff\ud800"
HOSTILE = SAFE_HOSTILE + " ctl:" + FORBIDDEN + " tail"


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


@pytest.fixture(scope="module")
def xsd():
    text = resources.files("govconv").joinpath("schemas/report.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text))


def to_xml(registry, reports) -> bytes:
    buf = io.BytesIO()
    registry.exporter("xml").export(reports, buf, {})
    return buf.getvalue()


def assert_valid(xsd, data: bytes):
    doc = etree.fromstring(data)
    if not xsd.validate(doc):
        pytest.fail("XML does not validate against report.xsd:\n" + "\n".join(str(e) for e in xsd.error_log))
    return doc


# -- reading the XML back, independently of the exporter's code ----------------------------------

def restore(text: str, replaced: str | None) -> str:
    """The documented contract: `replaced` lists OFFSET:U+XXXX for each character replaced by U+FFFD."""
    if not replaced:
        return text
    chars = list(text)
    for mark in replaced.split():
        offset, code = mark.split(":U+")
        assert chars[int(offset)] == "\ufffd"
        chars[int(offset)] = chr(int(code, 16))
    return "".join(chars)


def text_of(e) -> str | None:
    if e.get(XSI_NIL) == "true":
        assert not e.text
        return None
    return restore(e.text or "", e.get("replaced"))


def number_of(e):
    if e.get(XSI_NIL) == "true":
        return None
    if e.get("type") == "int" or e.tag == q("year") or e.tag == q("size"):
        return int(e.text)
    return plain_number(Decimal(e.text))


def value_of(e):
    kind = e.get("type")
    if kind == "null":
        return None
    if kind == "bool":
        return e.text == "true"
    if kind == "int":
        return int(e.text)
    if kind == "decimal":
        return plain_number(Decimal(e.text))
    if kind == "string":
        return restore(e.text or "", e.get("replaced"))
    if kind == "list":
        return [value_of(i) for i in e.findall(q("item"))]
    if kind == "map":
        return {key_of(i): value_of(i) for i in e.findall(q("item"))}
    raise AssertionError(f"unknown value type {kind!r}")


def key_of(e) -> str:
    return restore(e.get("key"), e.get("key_replaced"))


def origin_of(e) -> dict | None:
    if e is None:
        return None
    d = {}
    if e.get("line") is not None:
        d["line"] = int(e.get("line"))
    if e.get("page") is not None:
        d["page"] = int(e.get("page"))
    if e.get("bbox") is not None:
        d["bbox"] = [float(x) for x in e.get("bbox").split()]
    return d


def report_from_xml(r) -> dict:
    """A <report> element rebuilt into the JSON shape of Report.to_dict()."""
    meta, src = r.find(q("meta")), r.find(q("source"))
    out = {
        "format_version": int(r.get("format_version")),
        "layout": r.get("layout"),
        "meta": {"title": text_of(meta.find(q("title"))), "agency": text_of(meta.find(q("agency"))),
                 "year": number_of(meta.find(q("year")))},
        "source": {k: (number_of if k == "size" else text_of)(src.find(q(k)))
                   for k in ("file", "format", "sha256", "loader", "size")},
        "options": {key_of(o): value_of(o) for o in r.find(q("options"))},
        "preamble": text_of(r.find(q("preamble"))),
        "sections": [{"number": int(s.get("number")), "heading": text_of(s.find(q("heading"))),
                      "text": text_of(s.find(q("text")))} for s in r.find(q("sections"))],
        "tables": {}, "labels": {}, "cells": {},
        "blank_cells": [a.text for a in r.find(q("blank_cells"))],
        "findings": [],
    }
    for t in r.find(q("tables")):
        tk = t.get("key")
        out["tables"][tk] = {}
        out["labels"][tk] = {"label": text_of(t.find(q("label"))), "rows": {}}
        for row in t.findall(q("row")):
            rk = row.get("key")
            out["labels"][tk]["rows"][rk] = text_of(row.find(q("label")))
            out["tables"][tk][rk] = {}
            for c in row.findall(q("cell")):
                assert c.get("address") == f"{tk}.{rk}.{c.get('column')}"
                out["tables"][tk][rk][c.get("column")] = number_of(c.find(q("value")))
                detail = {"label": text_of(c.find(q("label"))), "raw": text_of(c.find(q("raw"))),
                          "blank": c.get("blank") == "true"}
                o = origin_of(c.find(q("origin")))
                if o is not None:
                    detail["origin"] = o
                out["cells"][c.get("address")] = detail
    for f in r.find(q("findings")):
        zh, en = text_of(f.find(q("message_zh"))), text_of(f.find(q("message_en")))
        out["findings"].append({
            "rule": f.get("rule"), "severity": f.get("severity"),
            "cells": [a.text for a in f.find(q("cells"))],
            "values": {key_of(v): value_of(v) for v in f.find(q("values"))},
            "message": f"{zh} / {en}", "message_zh": zh, "message_en": en})
    return out


def as_json(report) -> dict:
    """Report.to_dict() as a JSON reader would see it (tuples → lists)."""
    return json.loads(json.dumps(report.to_dict(), ensure_ascii=False))


def hostile_report():
    """A seed with NUL in its bytes (removed by the model), then hostile text put into the model."""
    data = (SEEDS / f"{SEED_NAMES[0]}.txt").read_bytes().replace("总体情况".encode(), "总体\x00情况".encode(), 1)
    r = govconv.convert(data, name="hostile.txt")
    assert "text.nul_removed" in r.finding_rules()
    assert r.sections[0].heading == "总体情况"
    r.meta.title = "标题" + HOSTILE
    r.meta.agency = HOSTILE
    r.preamble = HOSTILE
    r.sections[0].text = HOSTILE + "\n" + r.sections[0].text
    r.sections[1].heading = HOSTILE
    r.cell("applications.new.natural_person").raw = HOSTILE
    r.cell("applications.new.natural_person").label = "自然人" + HOSTILE
    r.findings.append(Finding("cell.unparsed", ["applications.new.natural_person"], "中文" + HOSTILE,
                              "english" + HOSTILE, values={"applications.new.natural_person": HOSTILE,
                                                           "key" + FORBIDDEN: [1, 2.5, None, True, HOSTILE]}))
    return r


# -- the tests ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEED_NAMES)
def test_seed_xml_validates_and_matches_json(seed, registry, xsd):
    report = govconv.convert(SEEDS / f"{seed}.txt")
    doc = assert_valid(xsd, to_xml(registry, [report]))
    assert doc.tag == q("reports") and doc.get("count") == "1"
    (rep,) = doc.findall(q("report"))
    got = report_from_xml(rep)
    want = as_json(report)
    validate_report_json(want)
    # everything the JSON carries, field for field
    for key in want:
        assert got[key] == want[key], key
    assert got == want
    # and the contract's expected values, cell for cell
    exp = expected(seed)
    assert wrong_cells(got["tables"], exp["tables"]) == []
    assert got["layout"] == exp["layout"]
    assert got["meta"] == exp["meta"]
    assert got["blank_cells"] == sorted(exp["blank_cells"])
    assert sorted({f["rule"] for f in got["findings"]}) == sorted(exp["finding_rules"])


def test_every_cell_of_the_layout_is_present(registry, xsd):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[1]}.txt")  # a row printed short: null cells
    doc = assert_valid(xsd, to_xml(registry, [report]))
    got = report_from_xml(doc.find(q("report")))
    assert set(flat_tables(got["tables"])) == {c.address for c in report.cells()}
    missing = [c for c in report.cells() if c.raw is None]
    assert missing, "this seed has cells that do not exist in the source"
    for c in missing:
        el = doc.find(f".//{q('cell')}[@address='{c.address}']")
        assert el.find(q("raw")).get(XSI_NIL) == "true"
        assert el.find(q("value")).get(XSI_NIL) == "true"


def test_several_reports_one_document(registry, xsd):
    reports = [govconv.convert(SEEDS / f"{s}.txt") for s in SEED_NAMES]
    doc = assert_valid(xsd, to_xml(registry, reports))
    reps = doc.findall(q("report"))
    assert doc.get("count") == str(len(SEED_NAMES)) == str(len(reps))
    for report, rep in zip(reports, reps):
        assert report_from_xml(rep) == as_json(report)


def test_decimal_amount_is_exact(registry, xsd):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    assert isinstance(report.value("active.procurement.amount"), Decimal)
    report.cell("active.procurement.amount").value = Decimal("1.5E+7")   # exponent form in the model
    doc = assert_valid(xsd, to_xml(registry, [report]))
    v = doc.find(f".//{q('cell')}[@address='active.procurement.amount']/{q('value')}")
    assert v.get("type") == "decimal" and Decimal(v.text) == Decimal("15000000") and "E" not in v.text


def test_hostile_text_survives(registry, xsd):
    report = hostile_report()
    data = to_xml(registry, [report])
    doc = assert_valid(xsd, data)
    rep = doc.find(q("report"))
    got = report_from_xml(rep)
    assert got == as_json(report)          # everything restored, forbidden characters included
    assert got["meta"]["agency"] == HOSTILE
    assert got["cells"]["applications.new.natural_person"]["raw"] == HOSTILE
    assert any(f["rule"] == "text.nul_removed" for f in got["findings"])
    assert "\x00" not in data.decode("utf-8")

    # the text itself: allowed characters verbatim, each forbidden one as U+FFFD at its offset
    agency = rep.find(f"{q('meta')}/{q('agency')}")
    assert agency.text == SAFE_HOSTILE + " ctl:" + "\ufffd" * len(FORBIDDEN) + " tail"
    start = len(SAFE_HOSTILE + " ctl:")
    assert agency.get("replaced") == " ".join(f"{start + i}:U+{ord(ch):04X}" for i, ch in enumerate(FORBIDDEN))
    # a finding value's key held forbidden characters too
    keys = [v for v in rep.iter(q("value")) if v.get("key_replaced")]
    assert len(keys) == 1 and key_of(keys[0]) == "key" + FORBIDDEN


def test_forbidden_character_positions_count_code_points(registry, xsd):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[2]}.txt")
    report.meta.title = "😀\x01𠀀\x02"        # 4-byte characters before each forbidden one
    doc = assert_valid(xsd, to_xml(registry, [report]))
    title = doc.find(f".//{q('title')}")
    assert title.text == "😀\ufffd𠀀\ufffd"
    assert title.get("replaced") == "1:U+0001 3:U+0002"


def test_xsd_rejects_what_it_should(registry, xsd):
    report = govconv.convert(SEEDS / f"{SEED_NAMES[0]}.txt")
    good = etree.fromstring(to_xml(registry, [report]))
    assert xsd.validate(good)

    bad = etree.fromstring(to_xml(registry, [report]))
    bad.find(f".//{q('cell')}/{q('value')}").text = "约10"        # not a decimal
    assert not xsd.validate(bad)

    bad = etree.fromstring(to_xml(registry, [report]))
    bad.find(f".//{q('cell')}").set("address", "no address")
    assert not xsd.validate(bad)

    bad = etree.fromstring(to_xml(registry, [report]))
    cells = bad.findall(f".//{q('cell')}")
    cells[1].set("address", cells[0].get("address"))              # addresses are unique in a report
    assert not xsd.validate(bad)

    bad = etree.fromstring(to_xml(registry, [report]))
    bad.find(f".//{q('title')}").set("replaced", "x")
    assert not xsd.validate(bad)


def test_cli_writes_valid_xml(tmp_path, xsd, cli):
    out = tmp_path / "r.xml"
    proc = cli(*[SEEDS / f"{s}.txt" for s in SEED_NAMES], "--to", "xml", "-o", out)
    assert proc.code == 0, proc.err
    doc = assert_valid(xsd, out.read_bytes())
    reps = doc.findall(q("report"))
    assert len(reps) == len(SEED_NAMES)
    for rep in reps:                                   # in completion order
        got = report_from_xml(rep)
        seed = got["source"]["file"].removesuffix(".txt")
        assert wrong_cells(got["tables"], expected(seed)["tables"]) == []


def test_lxml_is_imported_lazily():
    proc = subprocess.run([sys.executable, "-c",
                           "import sys, govconv_plugins.xml_exporter; print('lxml' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr
