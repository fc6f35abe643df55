"""The pdf loader: fixtures rendered by LibreOffice, the real huaian PDF, the document model, bad input.

Bad input is tried with both PDF engines (pdfium, the default, and pdfplumber, the reference):
each must give the same error, with the same message, on time.
"""
from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess
import sys
import time
import zlib

import pytest

from conftest import (FIXTURES, ROOT, SEED_NAMES, CliRun, convert_in_a_thread, expected, realworld_file, slow_pdf,
                      validate_report_json, wrong_cells)

PDF = FIXTURES / "pdf"
GOVCONV = ROOT / ".venv" / "bin" / "govconv"
VARIANTS = sorted(p.name for p in PDF.glob("*.*.pdf"))
ENGINES = ["pdfium", "pdfplumber"]
FURNITURE = re.compile(r"^[-—–\s]*\d+[-—–\s]*$|第\s*\d+\s*页|-\s*\d+\s*-|—\s*\d+\s*—")


def convert(path):
    import govconv
    return govconv.convert(path).to_dict()


def load(path):
    from govconv import LoadOptions, Source
    from govconv_plugins.pdf_loader import PdfLoader
    return PdfLoader().load(Source.open(path), LoadOptions())


def check_against(d: dict, want: dict) -> None:
    validate_report_json(d)
    bad = wrong_cells(d["tables"], want["tables"])
    assert not bad, "wrong cells:\n" + "\n".join(bad)
    assert d["layout"] == want["layout"]
    for k in ("year", "agency", "title"):
        assert d["meta"][k] == want["meta"][k], k
    assert sorted({f["rule"] for f in d["findings"]}) == want["finding_rules"]


# -- fixtures rendered from the docx fixtures ----------------------------------------------

@pytest.mark.parametrize("seed", SEED_NAMES)
def test_seed_pdf(seed):
    path = PDF / f"{seed}.pdf"
    assert path.exists(), f"{path} missing: run fixtures/build_pdf.py"
    check_against(convert(path), expected(seed))


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_pdf(name):
    seed = name.split(".")[0]
    check_against(convert(PDF / name), expected(seed))


def test_variants_exist():
    assert any(".pagebreak." in v for v in VARIANTS) and any(".repeat-header." in v for v in VARIANTS)


def _applications_table(doc):
    ts = [t for t in doc.tables() if any("本年新收" in c.text for c in t.cells)]
    assert len(ts) == 1, f"table 三 is {len(ts)} tables"
    return ts[0]


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_table_three_is_one_table_over_pages(name):
    doc = load(PDF / name)
    t = _applications_table(doc)
    pages = {c.origin.page for c in t.cells}
    assert len(pages) >= 2, "the variant is meant to split table 三 over pages"
    # the header is there once, even when the PDF repeats it on every page
    assert sum(1 for c in t.cells if "勾稽关系" in c.text) == 1
    assert sum(1 for c in t.cells if c.text == "商业企业") == 1
    # every result row label is there once
    for label in ("1.属于国家秘密", "2.没有现成信息需要另行制作", "（七）总计", "四、结转下年度继续办理"):
        assert sum(1 for c in t.cells if c.text.replace(" ", "") == label) == 1, label
    assert t.n_rows == 28


def test_pagebreak_footer_is_dropped():
    name = next(v for v in VARIANTS if ".pagebreak." in v)
    doc = load(PDF / name)
    for b in doc.blocks:
        texts = [c.text for c in b.cells] if hasattr(b, "cells") else [b.text]
        for text in texts:
            assert not re.search(r"-\s*\d+\s*-", text), text


# -- the real published PDF ----------------------------------------------------------------

def test_huaian_matches_expected():
    path = realworld_file("huaian-city-2024.pdf")
    want = json.loads(realworld_file("expected/huaian-city-2024.json").read_text("utf-8"))
    d = convert(path)
    check_against(d, want)
    import govconv
    report = govconv.convert(path)
    assert sorted(report.blank_cells()) == sorted(want["blank_cells"])
    assert [s["number"] for s in d["sections"]] == [1, 2, 3, 4, 5, 6]
    assert d["source"]["loader"] == "pdf" and d["source"]["format"] == "pdf"


@pytest.fixture(scope="module")
def huaian_doc():
    return load(realworld_file("huaian-city-2024.pdf"))


def test_huaian_table_three_is_one_table(huaian_doc):
    t = _applications_table(huaian_doc)
    assert {c.origin.page for c in t.cells} == {4, 5}
    texts = [c.text for c in t.cells]
    # the merged label cut by the page break ('（四）无' on page 4, '法提供' on page 5) is one cell again
    cell = next(c for c in t.cells if c.text.startswith("（四）"))
    assert cell.text == "（四）无法提供" and cell.rowspan == 3 and cell.origin.page == 4
    assert "法提供" not in texts
    assert t.n_rows == 28 and t.n_cols == 10
    # the column header is printed once and not repeated
    assert texts.count("自然人") == 1


def test_huaian_table_two_is_one_table(huaian_doc):
    ts = [t for t in huaian_doc.tables() if any("第二十条" in c.text for c in t.cells)]
    assert len(ts) == 1
    assert {c.origin.page for c in ts[0].cells} == {3, 4}


def test_huaian_labels_rejoined(huaian_doc):
    t = _applications_table(huaian_doc)
    texts = {c.text for c in t.cells}
    assert "三、本年度办理结果" in texts                   # printed one character per line
    vertical = next(c for c in t.cells if c.text == "三、本年度办理结果")
    assert vertical.col == 0 and vertical.rowspan == 22
    for label in ("（三）不予公开", "（五）不予处理", "（六）其他处理", "商业企业", "科研机构",
                  "社会公益组织", "法律服务机构",
                  "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                  "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"):
        assert label in texts, label


def test_huaian_no_page_furniture(huaian_doc):
    for b in huaian_doc.blocks:
        if hasattr(b, "cells"):          # a bare number is a value in a cell; '-4-' is not
            for c in b.cells:
                assert not re.search(r"-\s*\d+\s*-|第\s*\d+\s*页", c.text), repr(c.text)
        else:
            assert not FURNITURE.search(b.text.strip()), repr(b.text)
            assert not re.search(r"(^|\s)-\s*\d\s*-(\s|$)", b.text), repr(b.text)


def test_huaian_paragraphs(huaian_doc):
    paras = [p for p in huaian_doc.paragraphs()]
    assert paras[0].text == "淮安市人民政府"
    assert paras[1].text.replace(" ", "") == "2024年政府信息公开工作年度报告"
    heads = [p.text for p in paras if re.match(r"^[一二三四五六]、", p.text)]
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    # no narrative page became a one-column table, and no table text leaked into paragraphs
    assert all(t.n_cols >= 2 for t in huaian_doc.tables())
    assert len(list(huaian_doc.tables())) == 3
    assert not any("3985758" in p.text or "本年制发件数" in p.text for p in paras)
    for p in paras:
        assert p.origin.page and p.origin.bbox and len(p.origin.bbox) == 4
    # a paragraph goes on over a page break (the page number between its lines is dropped)
    one = next(p for p in paras if p.text.startswith("（一）主动公开情况。"))
    assert one.origin.page == 1 and "“建设‘四最’一流营商环境高质量推进产业发展”" in one.text
    five = next(p for p in paras if p.text.startswith("对照上级新要求"))
    assert "还有一些需要加强和改进的地方。主要表现在" in five.text


def test_cells_have_origin(huaian_doc):
    for t in huaian_doc.tables():
        assert t.origin.page
        for c in t.cells:
            assert c.origin.page in (3, 4, 5)
            x0, top, x1, bottom = c.origin.bbox
            assert x0 < x1 and top < bottom


def test_help_does_not_import_pdfplumber():
    code = ("import sys\nfrom govconv.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('pdfplumber' in sys.modules, 'pdfminer' in sys.modules, 'pypdfium2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "False False False"


# -- hostile and unusable input ---------------------------------------------------------------

def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def make_pdf(objects: dict[int, bytes], *, streams: dict[int, bytes] | None = None,
             password: str | None = None) -> bytes:
    """A small PDF: ``objects`` are the bodies of objects 1…n (1 = catalog); ``streams`` their data.

    With ``password`` the file is encrypted with the standard security handler (RC4, 40 bit, R2).
    """
    streams = streams or {}
    file_id = hashlib.md5(b"govconv-test").digest()
    key = None
    encrypt_obj = None
    if password is not None:
        owner = (b"owner" + _PAD)[:32]
        o = _rc4(hashlib.md5(owner).digest()[:5], (password.encode() + _PAD)[:32])
        p = -44
        key = hashlib.md5((password.encode() + _PAD)[:32] + o + struct.pack("<i", p) + file_id).digest()[:5]
        u = _rc4(key, _PAD)
        encrypt_obj = max(objects) + 1
        objects = dict(objects)
        objects[encrypt_obj] = (b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <"
                                + u.hex().encode() + b"> /P " + str(p).encode() + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        body = objects[num]
        data = streams.get(num)
        if data is not None:
            if key is not None:
                data = _rc4(hashlib.md5(key + struct.pack("<i", num)[:3] + b"\x00\x00").digest()[:10], data)
            body = body.rstrip()[:-2] + b" /Length " + str(len(data)).encode() + b" >>"
            out += b"%d 0 obj\n" % num + body + b"\nstream\n" + data + b"\nendstream\nendobj\n"
        else:
            out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    n = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n
    for num in range(1, n):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    trailer = b"<< /Size %d /Root 1 0 R /ID [<%s> <%s>]" % (n, file_id.hex().encode(), file_id.hex().encode())
    if encrypt_obj:
        trailer += b" /Encrypt %d 0 R" % encrypt_obj
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def page_pdf(content: bytes, resources: bytes = b"<< >>", extra: dict | None = None,
             extra_streams: dict | None = None, password: str | None = None, compress: bool = False) -> bytes:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
               + b" /Contents 4 0 R >>",
               4: (b"<< /Filter /FlateDecode >>" if compress else b"<< >>")}
    streams = {4: zlib.compress(content) if compress else content}
    objects.update(extra or {})
    streams.update(extra_streams or {})
    return make_pdf(objects, streams=streams, password=password)


HELVETICA = b"<< /Font << /F1 5 0 R >> >>"
HELVETICA_OBJ = {5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}


@pytest.fixture
def run_cli(cli):
    """``run_cli(path, *args, engine=…)``: the command on one PDF with one engine, in this process."""
    return lambda path, *args, engine: cli(path, "--to", "json", "--pdf-engine", engine, *args)


def assert_error(out, code: int, *words: str):
    assert out.code == code, (out.code, out.err)
    assert "Traceback" not in out.err
    lines = [l for l in out.err.splitlines() if l.strip()]
    assert len(lines) == 1, out.err
    line = lines[0]
    assert re.search(r"[\u4e00-\u9fff]", line) and re.search(r"[A-Za-z]{3,}", line), line   # zh / en
    assert " / " in line
    for w in words:
        assert w.lower() in line.lower(), (w, line)
    assert out.out == b""


@pytest.mark.parametrize("engine", ENGINES)
def test_scan_without_text_layer(tmp_path, engine, run_cli):
    from govconv.errors import ExitCode
    img = bytes(range(256)) * 4                       # a 32x32 grey image
    pdf = page_pdf(b"q 500 0 0 700 40 60 cm /Im1 Do Q", b"<< /XObject << /Im1 5 0 R >> >>",
                   {5: b"<< /Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 >>"}, {5: img})
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf)
    out = run_cli(path, engine=engine)
    assert_error(out, ExitCode.NO_TEXT, "OCR", "扫描")


@pytest.mark.parametrize("engine", ENGINES)
def test_fonts_without_unicode_map(tmp_path, engine, run_cli):
    from govconv.errors import ExitCode
    font = {5: b"<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
            6: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"}
    content = b"BT /F1 14 Tf 72 700 Td <0041004200430044004500460047> Tj ET " * 10
    path = tmp_path / "cid.pdf"
    path.write_bytes(page_pdf(content, HELVETICA, font))
    assert "(cid:" in _pdfplumber_text(path)
    out = run_cli(path, engine=engine)
    assert_error(out, ExitCode.NO_TEXT, "Unicode")


@pytest.mark.parametrize("engine", ENGINES)
def test_private_use_area_text(tmp_path, engine, run_cli):
    from govconv.errors import ExitCode
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
            b"1 beginbfrange <0001> <00FF> <E000> endbfrange endcmap CMapName currentdict /CMap "
            b"defineresource pop end end")
    font = {5: b"<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H "
               b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            6: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
            7: b"<< >>"}
    content = b"BT /F1 14 Tf 72 700 Td <0011001200130014001500160017> Tj ET " * 10
    path = tmp_path / "pua.pdf"
    path.write_bytes(page_pdf(content, HELVETICA, font, {7: cmap}))
    assert any(0xE000 <= ord(ch) <= 0xF8FF for ch in _pdfplumber_text(path))
    out = run_cli(path, engine=engine)
    assert_error(out, ExitCode.NO_TEXT, "Unicode")


def _pdfplumber_text(path) -> str:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        return "".join(c["text"] for p in pdf.pages for c in p.chars)


def _encrypted(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(page_pdf(b"BT /F1 12 Tf 72 700 Td (hello world) Tj ET", HELVETICA, HELVETICA_OBJ,
                              password="s3cret"))
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_without_password(tmp_path, engine, run_cli):
    from govconv.errors import ExitCode
    out = run_cli(_encrypted(tmp_path), engine=engine)
    assert_error(out, ExitCode.ENCRYPTED, "encrypted", "加密", "--password")


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_wrong_password(tmp_path, engine, run_cli):
    from govconv.errors import ExitCode
    out = run_cli(_encrypted(tmp_path), "--password", "nope", engine=engine)
    assert_error(out, ExitCode.ENCRYPTED, "password", "密码")


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_right_password_is_read(tmp_path, engine, run_cli):
    from govconv import LoadOptions, Source
    from govconv_plugins.pdf_loader import PdfLoader
    path = _encrypted(tmp_path)
    doc = PdfLoader().load(Source.open(path), LoadOptions(password="s3cret", extra={"pdf_engine": engine}))
    assert [p.text for p in doc.paragraphs()] == ["hello world"]
    from govconv.errors import ExitCode
    out = run_cli(path, "--password", "s3cret", engine=engine)        # readable, but not a report
    assert_error(out, ExitCode.NOT_A_REPORT)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["truncated", "garbage", "no-xref-objects", "bad-stream"])
def test_corrupt(tmp_path, kind, engine, run_cli):
    from govconv.errors import ExitCode
    good = page_pdf(b"BT /F1 12 Tf 72 700 Td (hello) Tj ET", HELVETICA, HELVETICA_OBJ)
    data = {
        "truncated": good[: len(good) // 3],
        "garbage": b"%PDF-1.7\n" + bytes((i * 7919) % 251 for i in range(5000)),
        "no-xref-objects": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n%%EOF\n",
        "bad-stream": page_pdf(b"x" * 100, HELVETICA, HELVETICA_OBJ).replace(b"<< /Length 100 >>",
                                                                              b"<< /Length 100 /Filter /FlateDecode >>"),
    }[kind]
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(data)
    out = run_cli(path, engine=engine)
    assert out.code in (ExitCode.CORRUPT, ExitCode.NO_TEXT), (out.code, out.err)
    assert_error(out, out.code)
    if kind in ("truncated", "garbage", "no-xref-objects"):
        assert out.code == ExitCode.CORRUPT, out.err


@pytest.mark.parametrize("engine", ENGINES)
def test_slow_pdf_stops_at_the_time_limit(tmp_path, engine):
    """The installed command, its supervised worker stopped at the time limit: a process of its own."""
    from govconv.errors import ExitCode
    t0 = time.monotonic()
    p = subprocess.run([str(GOVCONV), str(slow_pdf(tmp_path / "slow.pdf")), "--to", "json", "--pdf-engine", engine,
                        "--timeout", "1"], capture_output=True, timeout=60, cwd=ROOT)
    took = time.monotonic() - t0
    assert_error(CliRun(p.returncode, p.stdout, p.stderr.decode()), ExitCode.TIMEOUT, "1 s", "秒")
    assert took < 15, f"the 1 s limit took {took:.1f} s to bite"


@pytest.mark.parametrize("engine", ENGINES)
def test_slow_pdf_stops_on_time_in_a_worker_thread(tmp_path, engine):
    """In-process, in a thread: only the cooperative checkpoints (per page, per path, per character) stop it."""
    from govconv.errors import InputTimeout

    out = convert_in_a_thread(slow_pdf(tmp_path / "slow.pdf"), timeout=1, loader_options={"pdf_engine": engine})
    assert isinstance(out.get("error"), InputTimeout), out
    assert out["took"] < 10, out["took"]


# -- joining the pieces of a table (geometry only) ------------------------------------------------

def _piece(rows, page, xs=(0, 20, 40, 100, 130)):
    """rows: [(col0, col1, text, rowspan), …] → a RawTable with 20 pt rows."""
    from govconv_plugins.pdf_loader import RawCell, RawTable
    cells = []
    for r, row in enumerate(rows):
        for c0, c1, text, span in row:
            cells.append(RawCell(text, xs[c0], 20 * r, xs[c1], 20 * (r + span), page, r, span))
    n = max(c.row + c.rowspan for c in cells)
    return RawTable(cells, n, page, (xs[0], 0, xs[-1], 20 * n), list(xs), [page])


def test_join_rejoins_a_merged_label_cut_by_the_break():
    from govconv_plugins.pdf_loader import _to_table, join_tables
    prev = _piece([[(0, 1, "三、本年度", 2), (1, 2, "（三）不予公开", 1), (2, 3, "8.属于行政查询事项", 1), (3, 4, "1", 1)],
                   [(1, 2, "（四）无", 1), (2, 3, "1.本机关不掌握相关政府信息", 1), (3, 4, "2", 1)]], 4)
    cont = _piece([[(0, 1, "办理结果", 2), (1, 2, "法提供", 2), (2, 3, "2.没有现成信息需要另行制作", 1), (3, 4, "3", 1)],
                   [(2, 3, "3.补正后申请内容仍不明确", 1), (3, 4, "4", 1)]], 5)
    t = _to_table(join_tables(prev, cont, 595))
    assert t.texts() == [["三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项", "1"],
                         ["", "（四）无法提供", "1.本机关不掌握相关政府信息", "2"],
                         ["", "", "2.没有现成信息需要另行制作", "3"],
                         ["", "", "3.补正后申请内容仍不明确", "4"]]


def test_join_keeps_a_new_group_at_the_head_of_the_page():
    from govconv_plugins.pdf_loader import _to_table, join_tables
    prev = _piece([[(0, 1, "三、", 2), (1, 2, "（四）无法提供", 2), (2, 3, "1.本机关不掌握", 1), (3, 4, "1", 1)],
                   [(2, 3, "2.没有现成信息", 1), (3, 4, "2", 1)]], 4)
    cont = _piece([[(0, 1, "", 1), (1, 2, "（五）不予处理", 1), (2, 3, "1.信访举报投诉类申请", 1), (3, 4, "3", 1)]], 5)
    t = _to_table(join_tables(prev, cont, 595))
    assert [r[1] for r in t.texts()] == ["（四）无法提供", "", "（五）不予处理"]


def test_join_drops_a_repeated_header_and_rejoins_a_split_row():
    from govconv_plugins.pdf_loader import _to_table, join_tables
    head = [(0, 3, "申请人情况", 1), (3, 4, "总计", 1)]
    prev = _piece([head, [(0, 3, "1.申请人无正当理由", 1), (3, 4, "", 1)]], 4)
    cont = _piece([head, [(0, 3, "逾期不补正", 1), (3, 4, "7", 1)], [(0, 3, "3.其他", 1), (3, 4, "1", 1)]], 5)
    t = _to_table(join_tables(prev, cont, 595))
    assert t.texts() == [["申请人情况", "总计"], ["1.申请人无正当理由逾期不补正", "7"], ["3.其他", "1"]]


def test_page_furniture_patterns():
    from govconv_plugins.pdf_loader import is_page_furniture_text
    for t in ("-4-", "- 4 -", "— 4 —", "第4页", "第 4 页 共 6 页", "4/6", "Page 3 of 9"):
        assert is_page_furniture_text(t), t
    for t in ("一、总体情况", "2024 年", "4.保护第三方合法权益"):
        assert not is_page_furniture_text(t), t


def test_accepts():
    from govconv import Source
    from govconv_plugins.pdf_loader import PdfLoader
    assert PdfLoader().accepts(Source(b"%PDF-1.7\n...", "x.bin")) == 0.95
    assert PdfLoader().accepts(Source(b"hello", "x.txt")) == 0.0
