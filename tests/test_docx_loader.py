"""The docx loader: seed reports as Word files, the official blank template, the document model, hostile input.

The .docx fixtures are built by fixtures/build_docx.py from the seed .txt
files; the hostile files are built here, in tmp_path, and never committed.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import govconv
from conftest import (FIXTURES, SEED_NAMES, SEEDS, expected, flat_tables, realworld_file,
                      validate_report_json, wrong_cells)
from govconv import Cell, ExitCode, LoadOptions, Source, Table
from govconv.errors import CorruptInput, EncryptedInput, GovconvError, UnsupportedInput
from govconv_plugins.docx_loader import DocxLoader

DOCX = FIXTURES / "docx"
REPORTS = sorted(p.name for p in DOCX.glob("*.docx") if p.name != "features.docx")
VARIANTS = [n for n in REPORTS if n.count(".") > 1]
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def seed_of(name: str) -> str:
    return name.split(".")[0]


def load(path_or_bytes, name: str | None = None):
    return DocxLoader().load(Source.open(path_or_bytes, name=name), LoadOptions())


def make_docx(path: Path, body: str = "<w:p><w:r><w:t>x</w:t></w:r></w:p>", *, document: bytes | None = None,
              skip: tuple[str, ...] = (), extra: dict[str, bytes] | None = None) -> Path:
    """A minimal package; ``document`` replaces the whole main part, ``skip`` leaves parts out."""
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": document if document is not None else (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body>'
            f'</w:document>').encode("utf-8"),
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if name not in skip:
                zf.writestr(name, data)
    return path


# == 1. the seed reports as .docx ==============================================================

def test_every_seed_has_a_docx_fixture():
    assert SEED_NAMES
    missing = [s for s in SEED_NAMES if not (DOCX / f"{s}.docx").exists()]
    assert not missing, f"run fixtures/build_docx.py: missing {missing}"
    kinds = {n.split(".")[1] for n in VARIANTS}
    assert {"split-active", "linebreaks", "libreoffice"} <= kinds


@pytest.fixture(scope="module", params=REPORTS)
def report(request):
    name = request.param
    seed = seed_of(name)
    got = govconv.convert(DOCX / name).to_dict()
    txt = govconv.convert(SEEDS / f"{seed}.txt").to_dict()
    return name, got, txt, expected(seed)


def test_cells_match_the_expected_values(report):
    name, got, _, want = report
    wrong = wrong_cells(got["tables"], want["tables"])
    assert not wrong, f"{name}: {len(wrong)} wrong cells:\n" + "\n".join(wrong)


def test_cells_match_the_txt_conversion(report):
    name, got, txt, _ = report
    wrong = wrong_cells(got["tables"], txt["tables"])
    assert not wrong, f"{name} differs from its .txt in {len(wrong)} cells:\n" + "\n".join(wrong)


def test_raw_cell_text_and_blank_marks_match_the_txt(report):
    name, got, txt, want = report
    diff = [f"{a}: docx {got['cells'][a]['raw']!r} blank={got['cells'][a]['blank']}, "
            f"txt {c['raw']!r} blank={c['blank']}"
            for a, c in txt["cells"].items()
            if (got["cells"][a]["raw"], got["cells"][a]["blank"]) != (c["raw"], c["blank"])]
    assert not diff, f"{name}:\n" + "\n".join(diff)
    assert got["blank_cells"] == sorted(want["blank_cells"])


def test_layout_meta_and_findings(report):
    name, got, txt, want = report
    assert got["layout"] == want["layout"] == txt["layout"]
    for key in ("year", "agency", "title"):
        assert got["meta"][key] == want["meta"][key] == txt["meta"][key], f"{name}: meta.{key}"
    rules = sorted({f["rule"] for f in got["findings"]})
    assert rules == want["finding_rules"] == sorted({f["rule"] for f in txt["findings"]}), name


def test_sections_match_the_txt(report):
    name, got, txt, _ = report
    assert [(s["number"], s["heading"]) for s in got["sections"]] == \
           [(s["number"], s["heading"]) for s in txt["sections"]], name
    assert [s["text"] for s in got["sections"]] == [s["text"] for s in txt["sections"]], name


def test_json_follows_the_schema_and_names_the_docx_source(report):
    name, got, _, _ = report
    validate_report_json(got)
    assert got["source"]["format"] == "docx" and got["source"]["loader"] == "docx"
    assert got["source"]["file"] == name


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_seed_docx_has_the_txt_row_views(seed):
    """Word's merges, read on the true grid, show each row as the txt export shows it."""
    from govconv_plugins.txt_loader import decode, parse_text

    want = [t.texts() for t in parse_text(decode((SEEDS / f"{seed}.txt").read_bytes())[0])
            if isinstance(t, Table)]
    got = [t.texts() for t in load(DOCX / f"{seed}.docx").tables()]
    assert got == want


def test_split_table_two_is_several_tables():
    name = next(n for n in VARIANTS if ".split-active" in n)
    doc = load(DOCX / name)
    firsts = [t.cells[0].text for t in doc.tables()]
    assert [f for f in firsts if "第二十条" in f] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项"]


def test_linebreaks_variant_keeps_breaks_inside_cells():
    name = next(n for n in VARIANTS if n.startswith("002") and ".linebreaks" in n)
    texts = {c.text for t in load(DOCX / name).tables() for c in t.cells}
    assert "本年\n制发件数" in texts           # two w:p (and an empty one, dropped)
    assert "商业\n企业" in texts               # w:br
    assert "（二）部分公开\n（区分处理的，只计这一情形，\n不计其他情形）" in texts


def test_bytes_without_a_name_are_read_as_docx():
    data = (DOCX / f"{SEED_NAMES[0]}.docx").read_bytes()
    d = govconv.convert(data).to_dict()
    assert d["source"]["loader"] == "docx"
    assert not wrong_cells(d["tables"], expected(SEED_NAMES[0])["tables"])


# == 2. the official blank template ===============================================================

@pytest.mark.parametrize("blank,value", [("zero", 0), ("null", None)])
def test_official_template_reads_every_cell_blank(blank, value):
    path = realworld_file("official-template-2021.docx")
    report = govconv.convert(path, blank=blank)
    d = report.to_dict()
    validate_report_json(d)
    assert d["layout"] == "gov2021"
    addresses = [c.address for c in report.cells()]
    flat = flat_tables(d["tables"])
    assert sorted(flat) == sorted(addresses) and len(addresses) > 100
    # every cell was found in the document (none missing, none misplaced): raw text "", all blank
    not_blank = [f"{a}: raw {d['cells'][a]['raw']!r} value {flat[a]!r}" for a in addresses
                 if d["cells"][a]["raw"] is None or d["cells"][a]["raw"].strip() or not d["cells"][a]["blank"]
                 or flat[a] != value]
    assert not not_blank, "\n".join(not_blank)
    assert d["blank_cells"] == sorted(addresses)
    assert not {f["rule"] for f in d["findings"]} & {"table.missing", "table.row_incomplete", "cell.unparsed"}


def test_official_template_grid():
    doc = load(realworld_file("official-template-2021.docx"))
    active, applications, review = list(doc.tables())

    def at(t: Table, text: str) -> Cell:
        return next(c for c in t.cells if c.text.replace("\n", "").startswith(text))

    def box(c: Cell):
        return c.row, c.col, c.rowspan, c.colspan

    assert (active.n_rows, active.n_cols) == (14, 4)
    assert box(at(active, "第二十条第（五）项")) == (4, 0, 1, 4)
    assert box(at(active, "本年收费金额")) == (12, 1, 1, 3)
    assert (applications.n_rows, applications.n_cols) == (28, 10)
    assert box(at(applications, "（本列数据的勾稽关系")) == (0, 0, 3, 3)
    assert box(at(applications, "申请人情况")) == (0, 3, 1, 7)
    assert box(at(applications, "自然人")) == (1, 3, 2, 1)
    assert box(at(applications, "法人或其他组织")) == (1, 4, 1, 5)
    assert box(at(applications, "总计")) == (1, 9, 2, 1)
    assert box(at(applications, "三、本年度办理结果")) == (5, 0, 22, 1)
    assert box(at(applications, "（一）予以公开")) == (5, 1, 1, 2)
    assert box(at(applications, "（三）不予公开")) == (7, 1, 8, 1)
    assert box(at(applications, "1.属于国家秘密")) == (7, 2, 1, 1)
    assert box(at(applications, "（六）其他处理")) == (23, 1, 3, 1)
    assert box(at(applications, "四、结转下年度继续办理")) == (27, 0, 1, 3)
    assert (review.n_rows, review.n_cols) == (4, 15)
    assert box(at(review, "行政复议")) == (0, 0, 1, 5)
    assert box(at(review, "行政诉讼")) == (0, 5, 1, 10)
    assert box(at(review, "未经复议直接起诉")) == (1, 5, 1, 5)
    assert [box(c) for c in review.rows()[1][:5]] == [(1, i, 2, 1) for i in range(5)]
    # no two cells cover the same grid position, every position of the grid is covered once
    for t in (active, applications, review):
        seen = {}
        for c in t.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    assert (r, k) not in seen, f"{c.text!r} overlaps {seen[(r, k)]!r}"
                    seen[(r, k)] = c.text
        assert len(seen) == t.n_rows * t.n_cols
    assert doc.format == "docx" and doc.loader == "docx"


# == 3. the document model ==========================================================================

@pytest.fixture(scope="module")
def features():
    return load(DOCX / "features.docx")


def test_paragraphs_and_tables_in_body_order(features):
    kinds = [type(b).__name__ for b in features.blocks]
    assert kinds == ["Paragraph"] * 12 + ["Table", "Paragraph"]
    assert features.blocks[0].text == "政府信息公开 features"
    assert features.blocks[-1].text == "After table"


def test_inline_content_is_read(features):
    texts = [b.text for b in features.paragraphs()]
    assert "Visit the site now" in texts                  # w:hyperlink
    assert "Inside content control" in texts              # block-level w:sdt
    assert "Inline control text" in texts                 # run-level w:sdt
    assert "Page 7" in texts                              # w:fldSimple result
    assert "Date 2021-12-31" in texts                     # complex field: result, not instrText
    assert "kept inserted" in texts                       # w:ins kept, w:del and hidden (w:vanish) dropped
    assert "move arrived" in texts                        # w:moveTo kept, w:moveFrom dropped
    assert "Smart tag tabbed" in texts                    # w:smartTag, w:tab as a space
    assert "commented" in texts
    assert texts[texts.index("line one") + 1] == "line two"   # w:br splits a body paragraph


def test_deleted_instructions_and_other_parts_are_absent(features):
    everything = [b.text for b in features.paragraphs()]
    everything += [c.text for t in features.tables() for c in t.cells]
    blob = "\n".join(everything)
    for absent in ("deleted", "moved away", "HIDDEN", "DATE", "yyyy", "PAGE", "HEADER TEXT", "FOOTER TEXT",
                   "COMMENT TEXT", "DELETED ROW"):
        assert absent not in blob, absent


def test_table_grid_spans_and_merges(features):
    table = next(features.tables())
    boxes = {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in table.cells}
    assert boxes == {
        "A": (0, 0, 3, 2),            # gridSpan 2 + vMerge restart, continued twice
        "B": (0, 2, 1, 1),
        "C": (0, 3, 2, 1),            # vMerge restart + continue (both spellings of continue)
        "line 1\nline 2": (1, 2, 1, 1),  # two paragraphs (and an empty one between) → two lines
        "outer": (2, 2, 1, 1),        # the nested table's text is not in the cell text
        "in sdt cell": (2, 3, 1, 1),  # a cell wrapped in a content control
        "x\ny": (3, 1, 1, 1),         # gridBefore 1; w:br inside a cell paragraph
        "D": (3, 2, 1, 2),
    }                                  # the row deleted with tracked changes is not there
    assert (table.n_rows, table.n_cols) == (4, 4)
    assert [c.text for c in table.row_view()[1]] == ["", "line 1\nline 2", ""]


def test_nested_table_is_kept_in_the_cell(features):
    outer = next(c for c in next(features.tables()).cells if c.text == "outer")
    assert len(outer.tables) == 1
    assert outer.tables[0].texts() == [["N1", "N2"], ["N3", "N4"]]
    assert len(list(features.tables())) == 1               # nested tables are not body blocks


def test_document_properties(features):
    assert features.format == "docx" and features.loader == "docx"
    assert features.properties["part"] == "word/document.xml"
    assert features.properties["title"] == "features"


def test_merges_in_rows_wrapped_in_content_controls_and_legacy_hmerge(tmp_path):
    def tc(text: str, pr: str = "") -> str:
        return f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    h_restart, h_cont, span2 = '<w:hMerge w:val="restart"/>', "<w:hMerge/>", '<w:gridSpan w:val="2"/>'
    body = ("<w:tbl>"
            f"<w:tr>{tc('a', restart)}{tc('b', h_restart)}{tc('', h_cont)}</w:tr>"
            f"<w:sdt><w:sdtContent><w:tr>{tc('', cont)}{tc('c')}{tc('d')}</w:tr></w:sdtContent></w:sdt>"
            f"<w:tr>{tc('', cont)}{tc('e', span2)}</w:tr>"
            # a continuation with nothing to continue above it is a cell of its own
            f"<w:tr>{tc('f')}{tc('g')}{tc('h', cont)}</w:tr>"
            "</w:tbl>")
    table = next(load(make_docx(tmp_path / "m.docx", body)).tables())
    assert {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in table.cells} == {
        "a": (0, 0, 3, 1), "b": (0, 1, 1, 2), "c": (1, 1, 1, 1), "d": (1, 2, 1, 1), "e": (2, 1, 1, 2),
        "f": (3, 0, 1, 1), "g": (3, 1, 1, 1), "h": (3, 2, 1, 1)}


def test_strict_ooxml_namespace_is_read(tmp_path):
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    doc = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{strict}"><w:body>'
           '<w:p><w:r><w:t>strict text</w:t></w:r></w:p></w:body></w:document>').encode()
    got = load(make_docx(tmp_path / "s.docx", document=doc))
    assert [b.text for b in got.blocks] == ["strict text"]
    assert got.properties["conformance"] == "strict"


def test_main_part_is_found_through_the_package_relationships(tmp_path):
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="/word/main.xml"/></Relationships>')
    main = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r>'
            f'<w:t>renamed part</w:t></w:r></w:p></w:body></w:document>').encode()
    path = make_docx(tmp_path / "r.docx", skip=("word/document.xml",),
                     extra={"_rels/.rels": rels, "word/main.xml": main})
    got = load(path)
    assert [b.text for b in got.blocks] == ["renamed part"] and got.properties["part"] == "word/main.xml"


def test_accepts_is_cheap_and_graded():
    lo = DocxLoader()
    zip_head = (DOCX / f"{SEED_NAMES[0]}.docx").read_bytes()
    assert lo.accepts(Source(zip_head, "a.docx")) == 0.95
    assert 0.5 <= lo.accepts(Source(zip_head, "<bytes>")) < 0.95
    assert lo.accepts(Source(b"PK\x03\x04" + b"\0" * 100, "archive")) == 0.5
    assert lo.accepts(Source(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.docx")) >= 0.9
    assert lo.accepts(Source(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc")) >= 0.9
    assert lo.accepts(Source(b"%PDF-1.7\n", "x.pdf")) == 0.0
    assert lo.accepts(Source("一、总体情况\n\t规章\n".encode(), "x.txt")) == 0.0


# == 4. bad and hostile input ==============================================================================

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">\n' for i in range(1, 10))
    + f']>\n<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')


def hostile(tmp_path: Path, kind: str) -> tuple[Path, type]:
    """A hostile or broken input of ``kind`` and the error it must raise."""
    p = tmp_path / f"{kind}.docx"
    if kind == "not_a_zip":
        p.write_bytes("这不是 Word 文档\n\tjust text\n".encode("utf-8"))
        return p, CorruptInput
    if kind == "truncated_zip":
        p.write_bytes((DOCX / f"{SEED_NAMES[0]}.docx").read_bytes()[:1500])
        return p, CorruptInput
    if kind == "no_document_xml":
        return make_docx(p, skip=("word/document.xml",)), CorruptInput
    if kind == "ole_doc":
        p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le"))
        return p, UnsupportedInput
    if kind == "ole_encrypted":
        p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
                      + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"))
        return p, EncryptedInput
    if kind == "zip_bomb_ratio":
        filler = b"<w:p/>" * (2 * 1024 * 1024)            # 12 MB that deflate to a few KB
        doc = (f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode() + filler
               + b"</w:body></w:document>")
        return make_docx(p, document=doc), CorruptInput
    if kind == "zip_bomb_declared_size":
        make_docx(p)
        p.write_bytes(declare_size(p.read_bytes(), "word/document.xml", 3 * 1024 ** 3))
        return p, CorruptInput
    if kind == "billion_laughs":
        return make_docx(p, document=BILLION_LAUGHS.encode()), CorruptInput
    if kind == "xxe":
        return make_docx(p, document=XXE.encode()), CorruptInput
    if kind == "xxe_utf16":
        return make_docx(p, document=XXE.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                         .encode("utf-16")), CorruptInput
    if kind == "not_xml":
        return make_docx(p, document=b"<w:document><w:body>"), CorruptInput
    raise AssertionError(kind)


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the central directory so that ``name`` claims ``size`` bytes uncompressed (a lying zip)."""
    buf = bytearray(data)
    key = name.encode()
    at = buf.find(b"PK\x01\x02")
    while at != -1:
        n = int.from_bytes(buf[at + 28:at + 30], "little")
        if bytes(buf[at + 46:at + 46 + n]) == key:
            buf[at + 24:at + 28] = size.to_bytes(4, "little")
        at = buf.find(b"PK\x01\x02", at + 4)
    return bytes(buf)


HOSTILE = ["not_a_zip", "truncated_zip", "no_document_xml", "ole_doc", "ole_encrypted", "zip_bomb_ratio",
           "zip_bomb_declared_size", "billion_laughs", "xxe", "xxe_utf16", "not_xml"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_bad_input_raises_a_specific_error(tmp_path, kind):
    path, error = hostile(tmp_path, kind)
    with pytest.raises(GovconvError) as info:
        govconv.convert(path)
    assert type(info.value) is error, f"{kind}: {type(info.value).__name__}: {info.value}"
    assert info.value.zh and info.value.en and info.value.path == path.name


def test_messages_say_what_is_wrong(tmp_path):
    def message(kind):
        with pytest.raises(GovconvError) as info:
            govconv.convert(hostile(tmp_path, kind)[0])
        return info.value.message()

    assert "zip" in message("not_a_zip")
    assert "word/document.xml" in message("no_document_xml")
    ole = message("ole_doc")
    assert "libreoffice --headless --convert-to docx" in ole and ".doc" in ole and "encrypted" in ole
    assert "encrypted" in message("ole_encrypted")
    for kind in ("zip_bomb_ratio", "zip_bomb_declared_size", "billion_laughs", "xxe", "xxe_utf16"):
        assert "refused" in message(kind) and "已拒绝" in message(kind), kind


def test_zip_bomb_is_refused_before_anything_is_decompressed(tmp_path, monkeypatch):
    for kind in ("zip_bomb_ratio", "zip_bomb_declared_size"):
        path, _ = hostile(tmp_path, kind)

        def never(*a, **k):
            raise AssertionError("a part was decompressed")

        monkeypatch.setattr(zipfile.ZipFile, "open", never)
        with pytest.raises(CorruptInput, match="zip bomb"):
            load(path)
        monkeypatch.undo()


def test_entities_are_never_expanded_nor_fetched(tmp_path, monkeypatch):
    """Even past the DOCTYPE screen, the parser neither expands nor fetches entities."""
    import govconv_plugins.docx_loader as mod

    monkeypatch.setattr(mod, "_refuse_doctype", lambda data, part: None)
    for kind in ("billion_laughs", "xxe"):
        path, _ = hostile(tmp_path, kind)
        with pytest.raises(CorruptInput) as info:
            load(path)
        # refused for its DOCTYPE, or by libxml2's own amplification guard: never expanded
        assert "DOCTYPE" in info.value.en or "amplification" in info.value.en
        assert "root:" not in info.value.message()
    from lxml import etree

    parser_args = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(XXE.encode(), etree.XMLParser(**parser_args))
    assert "root:" not in etree.tostring(root, encoding="unicode")


@pytest.mark.parametrize("kind,code", [("not_a_zip", ExitCode.CORRUPT), ("no_document_xml", ExitCode.CORRUPT),
                                       ("ole_doc", ExitCode.UNSUPPORTED), ("ole_encrypted", ExitCode.ENCRYPTED),
                                       ("zip_bomb_ratio", ExitCode.CORRUPT), ("billion_laughs", ExitCode.CORRUPT),
                                       ("xxe", ExitCode.CORRUPT)])
def test_cli_exit_code_and_one_line_bilingual_message(tmp_path, kind, code, cli):
    path, _ = hostile(tmp_path, kind)
    p = cli(path, "--to", "json")
    err = p.err
    assert p.code == code, err
    assert "Traceback" not in err and p.out == b""
    lines = [l for l in err.splitlines() if path.name in l]
    assert len(lines) == 1, err
    assert " / " in lines[0] and any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])


def test_cli_converts_a_docx(cli):
    p = cli(DOCX / f"{SEED_NAMES[0]}.docx", "--to", "json")
    assert p.code == 0, p.err
    import json

    d = json.loads(p.out)
    validate_report_json(d)
    assert not wrong_cells(d["tables"], expected(SEED_NAMES[0])["tables"])
