"""The txt loader: encodings, the table encoding of the seeds, artefacts."""
from __future__ import annotations

import codecs

import pytest

import govconv
from conftest import SEEDS, expected, wrong_cells
from govconv.errors import CorruptInput
from govconv_plugins.txt_loader import decode, parse_text

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
