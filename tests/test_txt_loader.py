"""The txt loader: encodings, the table encoding of the seeds, artefacts."""
from __future__ import annotations

import codecs

import pytest

import govconv
from conftest import SEEDS, expected, wrong_cells
from govconv.errors import CorruptInput
from govconv_plugins.txt_loader import MAX_BAD_FEW, MAX_BAD_SHARE, decode, parse_text, read_text

SEED = "002_4a81d0f783bbd2ce"
TEXT = (SEEDS / f"{SEED}.txt").read_text("utf-8")


@pytest.mark.parametrize("encoding,data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    ("gb18030", TEXT.encode("gbk")),             # GBK files are read as GB18030
    ("gb18030", TEXT.encode("gb18030")),
    ("utf-16", TEXT.encode("utf-16")),           # with BOM (little endian here)
    ("utf-16", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
    ("utf-16-le", TEXT.encode("utf-16-le")),     # without BOM
])
def test_each_encoding_reads_the_same_report(encoding, data):
    text, used = decode(data)
    assert used == encoding and text.lstrip("\ufeff") == TEXT
    d = govconv.convert(data, name="r.txt").to_dict()
    assert not wrong_cells(d["tables"], expected(SEED)["tables"])
    assert d["meta"]["agency"] == "富阳区鹿山街道"


def test_gb18030_only_characters():
    text = "一、总体情况\n𠀀单位 2021年 € ·\n"
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_undecodable_bytes_are_a_clear_error():
    with pytest.raises(CorruptInput) as e:
        decode(b"\xff\x80 report \xff" * 50)
    assert "编码" in e.value.zh and "encoding" in e.value.en


def test_rows_cells_and_lone_tabs():
    blocks = parse_text("标题\n\t甲\n\t乙\n\n\t\n\t1\n\n\n正文\n")
    assert blocks[0].text == "标题" and blocks[-1].text == "正文"
    table = blocks[1]
    assert table.texts() == [["甲", "乙"], ["", "1"]]
    assert [(c.row, c.col, c.origin.line) for c in table.cells] == [(0, 0, 2), (0, 1, 3), (1, 0, 5), (1, 1, 6)]


def test_inner_line_breaks_and_vertical_header_text():
    seed = (SEEDS / "001_fb2a13aa5693ffc1.txt").read_text("utf-8")
    tables = [b for b in parse_text(seed) if isinstance(b, govconv.Table)]
    header = tables[1].texts()[2]
    assert header[:4] == ["", "", "商\n业\n企\n业", "科\n研机\n构"]
    assert header[4:] == ["社会公益组织", "法律服务机构", "其他", ""]
    seed3 = (SEEDS / "003_0e647fe07d6d618f.txt").read_text("utf-8")
    t = next(b for b in parse_text(seed3) if isinstance(b, govconv.Table))
    assert t.texts()[1][1] == "本年新\n制作数量"


def test_tables_end_where_the_text_resumes():
    seed = (SEEDS / "000_b9275629afd0157f.txt").read_text("utf-8")
    blocks = parse_text(seed)
    assert sum(isinstance(b, govconv.Table) for b in blocks) == 3
    assert any(isinstance(b, govconv.Paragraph) and b.text.startswith("三、收到和处理") for b in blocks)


def test_bookmark_artefacts_are_removed():
    blocks = parse_text("[bookmark: _GoBack]一是强化培训\n")
    assert blocks[0].text == "一是强化培训"


def test_crlf_line_endings():
    d = govconv.convert(TEXT.replace("\n", "\r\n").encode("utf-8"), name="r.txt").to_dict()
    assert not wrong_cells(d["tables"], expected(SEED)["tables"])


# -- tolerant decoding --------------------------------------------------------------------------------

AT = TEXT.index("在区委区政府")          # in the narrative, away from every label


def with_bad(encoding: str, bad: bytes, bom: bytes = b"", shift: int = 0) -> tuple[bytes, int]:
    """The seed in ``encoding`` with ``bad`` put in the narrative; and the bad bytes' offset in the file."""
    data = TEXT.encode(encoding)
    at = len(TEXT[:AT].encode(encoding)) + shift
    return bom + data[:at] + bad + data[at:], len(bom) + at


@pytest.mark.parametrize("encoding,bom,name,bad", [
    ("utf-8", b"", "utf-8", b"\xff"),
    ("utf-8", b"", "utf-8", b"\x80\x80\x80"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig", b"\xff"),
    ("gbk", b"", "gb18030", b"\xff"),
    ("gb18030", b"", "gb18030", b"\x80"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16", "\udc00".encode("utf-16-le", "surrogatepass")),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16", "\ud800".encode("utf-16-be", "surrogatepass")),
    ("utf-16-le", b"", "utf-16-le", "\udfff".encode("utf-16-le", "surrogatepass")),
])
def test_a_few_bad_bytes_are_replaced_and_said(encoding, bom, name, bad):
    data, offset = with_bad(encoding, bad, bom)
    d = read_text(data)
    assert d.encoding == name and d.first_offset == offset and d.replaced >= 1
    assert d.text.replace("\ufffd", "") == TEXT
    report = govconv.convert(data, name="r.txt")
    assert not wrong_cells(report.to_dict()["tables"], expected(SEED)["tables"])
    (f,) = [f for f in report.findings if f.rule == "text.decoding"]
    assert f.severity == "warning" and f.cells == []
    assert f.values == {"count": d.replaced, "first_offset": offset, "encoding": name}
    assert "U+FFFD" in f.message_zh and "解码" not in f.message_en and "replaced" in f.message_en
    assert str(offset) in f.message_zh and str(offset) in f.message_en


def test_bom_followed_by_a_bad_byte():
    """It crashed (exit 70): a UTF-8 BOM, then a byte in the middle of a character."""
    data, offset = with_bad("utf-8", b"\xff", codecs.BOM_UTF8, shift=1)
    d = read_text(data)
    assert d.encoding == "utf-8-sig" and d.first_offset == offset - 1     # the broken character starts there
    assert d.replaced == 4                  # the broken character's lead byte, the bad byte, its other two bytes
    assert d.text.count("\ufffd") == 4 and d.text.replace("\ufffd", "") == TEXT.replace("在", "", 1)


def test_the_encoding_with_fewest_replacements_wins():
    # GB18030 text with a UTF-8-invalid byte: UTF-8 would replace almost everything
    data, _ = with_bad("gb18030", b"\xff")
    assert read_text(data).encoding == "gb18030"
    # UTF-8 text with two bad bytes: GB18030 would need far more
    data, _ = with_bad("utf-8", b"\xff\xfe")
    d = read_text(data)
    assert (d.encoding, d.replaced) == ("utf-8", 2)


def test_clean_text_has_no_finding():
    d = read_text(TEXT.encode("utf-8"))
    assert (d.replaced, d.first_offset, d.finding()) == (0, None, None)
    assert govconv.convert(TEXT.encode("gb18030"), name="r.txt").finding_rules() == expected(SEED)["finding_rules"]


def test_a_few_nuls_are_text():
    data = TEXT.replace("总体情况", "总体\x00情况", 1).encode("utf-8")
    d = read_text(data)
    assert d.encoding == "utf-8" and d.replaced == 0
    assert "text.nul_removed" in govconv.convert(data, name="r.txt").finding_rules()


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 40,                                     # binary
    b"\x89PNG\r\n\x1a\n" + bytes((i * 7919) % 256 for i in range(5000)),
    b"\x00" * 5000,                                             # nothing but NUL
    b"\x01\x02\x03\x04 report \x05\x06\x07\x08" * 300,            # ASCII, but mostly control characters
    (TEXT.encode("utf-8") + b"\xff\xfe\x80" * 200),             # a report with 600 bad bytes (> 1%)
])
def test_what_is_not_text_is_refused(data):
    with pytest.raises(CorruptInput) as e:
        read_text(data)
    assert "编码" in e.value.zh and "encoding" in e.value.en and "1%" in e.value.en


def test_the_threshold_of_bad_bytes():
    data = TEXT.encode("utf-8")
    at = len(TEXT[:AT].encode("utf-8"))

    def refused(n: int) -> bool:
        return n > max(MAX_BAD_FEW, int((len(data) + n) * MAX_BAD_SHARE))

    most = max(n for n in range(200) if not refused(n))
    d = read_text(data[:at] + b"\xff" * most + data[at:])
    assert (d.encoding, d.replaced) == ("utf-8", most)
    with pytest.raises(CorruptInput):
        read_text(data[:at] + b"\xff" * (most + 1) + data[at:])
    # a short file: a few bad bytes are still text
    assert read_text(b"\xff" * MAX_BAD_FEW + "一、总体情况\n".encode()).replaced == MAX_BAD_FEW
