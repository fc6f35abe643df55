"""Who and when, from every format: the agency, the year and the publication date.

Real fixture text (the seeds, the real 淮安 PDF, the web pages) and variants
built from it: without the title line, with the title quoted in the preamble,
with a signature and a date at the end, with the file's own title only, with a
PDF title wrapped over two lines (and run into the preamble).  Then the agency
normalisation a series stands on (``normalise_agency``, ``load_aliases``).
"""
from __future__ import annotations

import io
import json

import pytest
from lxml import etree

import govconv
from conftest import FIXTURES, SEED_NAMES, SEEDS, expected, realworld_file, validate_report_json
from govconv.errors import InputNotFound, UsageError
from govconv.model.document import Paragraph
from govconv.reading.agency import (AgencyAliases, canonical_agency, is_agency_name, load_aliases,
                                    normalise_agency)
from govconv.reading.narrative import read as read_narrative
from govconv.reading.source import LoadOptions, Source


def seed_text(seed: str) -> str:
    return (SEEDS / f"{seed}.txt").read_text("utf-8")


def convert_text(text: str, name: str = "variant.txt"):
    return govconv.convert(text.encode("utf-8"), name=name)


def without_title(seed: str) -> str:
    """The seed with its title lines (the short lines before 一、 up to the one with 报告) removed."""
    lines = seed_text(seed).split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("一、"))
    cut = [i for i in range(first) if len(lines[i].strip()) <= 48]
    return "\n".join(line for i, line in enumerate(lines) if i not in cut)


SEED_002 = "002_4a81d0f783bbd2ce"     # 富阳区鹿山街道 2021, title over two lines
SEED_003 = "003_0e647fe07d6d618f"     # 拱墅区行政审批服务管理办公室 2020; its text calls it 区行政审批办


# == 1. the fixtures keep their meta; none prints a date ==================================================

@pytest.mark.parametrize("seed", SEED_NAMES)
def test_seed_meta_is_unchanged_and_has_no_publication_date(seed):
    meta = govconv.convert(SEEDS / f"{seed}.txt").to_dict()["meta"]
    assert meta == expected(seed)["meta"]           # title, agency, year; no "published" key: none printed


def test_the_real_pdf_title_is_wrapped_over_two_lines():
    report = govconv.convert(realworld_file("huaian-city-2024.pdf"))
    assert (report.meta.title, report.meta.agency, report.meta.year, report.meta.published) == \
        ("淮安市人民政府2024年政府信息公开工作年度报告", "淮安市人民政府", 2024, None)


@pytest.mark.parametrize("name", ["000_b9275629afd0157f.portal.html", "002_4a81d0f783bbd2ce.portal.html"])
def test_a_web_page_publication_time_is_not_the_reports(name):
    """The portal page says 发布时间：…-01-20 around the article: a page fact, not a date the report prints."""
    report = govconv.convert(FIXTURES / "html" / name)
    assert report.meta.published is None and "published" not in report.to_dict()["meta"]


# == 2. without a title line ==============================================================================

@pytest.mark.parametrize("seed, agency, year", [
    ("000_b9275629afd0157f", "半山街道", 2020),
    ("001_fb2a13aa5693ffc1", "武林街道", 2020),                    # "2020年武林街道信息公开工作坚持…"
    (SEED_002, "鹿山街道", 2021),                                  # "2021年，鹿山街道在…": never just 街道
    (SEED_003, "拱墅区行政审批服务管理办公室", 2020),               # never 区行政审批办 (the place cut off)
    ("004_47b4ce0c4832982f", None, 2020),                          # the text never names it: none, not a guess
])
def test_without_a_title_the_agency_comes_from_the_text(seed, agency, year):
    report = convert_text(without_title(seed))
    assert (report.meta.title, report.meta.agency, report.meta.year) == (None, agency, year)


def test_a_title_quoted_in_the_preamble():
    text = ("根据《中华人民共和国政府信息公开条例》规定，现公布杭州市下城区武林街道办事处2020年政府信息公开工作"
            "年度报告。\n" + without_title("001_fb2a13aa5693ffc1"))
    report = convert_text(text)
    assert (report.meta.title, report.meta.agency, report.meta.year) == (None, "杭州市下城区武林街道办事处", 2020)


def test_a_quoted_title_with_the_year_first():
    text = "现将2020年清凉峰镇人民政府政府信息公开工作年度报告公布如下。\n" + without_title("004_47b4ce0c4832982f")
    assert convert_text(text).meta.agency == "清凉峰镇人民政府"


def test_a_quoted_title_of_the_office_that_compiled_it_is_not_the_agency():
    """"本报告由XX办公室…编制" names who compiled the report, not whose it is."""
    text = "本报告由清凉峰镇党政办公室根据《条例》编制。\n" + without_title("004_47b4ce0c4832982f")
    assert convert_text(text).meta.agency is None


def test_a_line_that_is_only_the_agency_name():
    text = "临安区清凉峰镇人民政府\n" + without_title("004_47b4ce0c4832982f")
    assert convert_text(text).meta.agency == "临安区清凉峰镇人民政府"


# == 3. the signature and the publication date at the end ====================================================

@pytest.mark.parametrize("tail, agency, published", [
    ("临安区清凉峰镇人民政府\n2021年1月20日", "临安区清凉峰镇人民政府", "2021-01-20"),
    ("临安区清凉峰镇人民政府　2021年1月20日", "临安区清凉峰镇人民政府", "2021-01-20"),
    ("临安区清凉峰镇人民政府办公室 2021年1月", "临安区清凉峰镇人民政府办公室", None),     # a month is no date
    ("临安区清凉峰镇人民政府\n2021年1月", "临安区清凉峰镇人民政府", None),
    ("临安区清凉峰镇人民政府\n二〇二一年一月二十日", "临安区清凉峰镇人民政府", "2021-01-20"),
    ("临安区清凉峰镇人民政府\n二○二一年一月三十一日", "临安区清凉峰镇人民政府", "2021-01-31"),
    ("（2021-01-20）", None, "2021-01-20"),
    ("2021年2月30日", None, None),                                                    # no such day
    ("2030年1月20日", None, None),                                                    # not after a 2020 report
    ("本镇", None, None),
])
def test_the_signature_and_the_date_at_the_end(tail, agency, published):
    report = convert_text(without_title("004_47b4ce0c4832982f") + "\n" + tail + "\n")
    assert (report.meta.agency, report.meta.published) == (agency, published)
    d = report.to_dict()
    validate_report_json(d)
    assert d["meta"].get("published") == published and ("published" in d["meta"]) == (published is not None)


def test_a_title_wins_over_the_signature_and_the_date_is_kept():
    report = convert_text(seed_text(SEED_002) + "\n富阳区鹿山街道办事处\n2022年1月20日\n")
    assert (report.meta.agency, report.meta.year, report.meta.published) == ("富阳区鹿山街道", 2021, "2022-01-20")
    assert report.to_dict()["meta"] == {**expected(SEED_002)["meta"], "published": "2022-01-20"}


def test_the_publication_date_reaches_the_xml_and_validates(registry):
    from importlib import resources
    report = convert_text(seed_text(SEED_002) + "\n富阳区鹿山街道办事处\n2022年1月20日\n")
    buf = io.BytesIO()
    registry.exporter("xml").export([report], buf, {})
    xsd = etree.XMLSchema(etree.fromstring(resources.files("govconv").joinpath("schemas/report.xsd").read_bytes()))
    doc = etree.fromstring(buf.getvalue())
    assert xsd.validate(doc), xsd.error_log
    ns = {"g": "urn:govconv:report:1"}
    assert doc.findtext("g:report/g:meta/g:published", namespaces=ns) == "2022-01-20"
    # no date printed: no element, still valid
    buf = io.BytesIO()
    registry.exporter("xml").export([govconv.convert(SEEDS / f"{SEED_002}.txt")], buf, {})
    doc = etree.fromstring(buf.getvalue())
    assert xsd.validate(doc) and doc.find("g:report/g:meta/g:published", namespaces=ns) is None


# == 4. the file's own title (docx / pdf properties) =====================================================

def _docx_without_title(seed: str):
    from govconv_plugins.docx_loader import DocxLoader
    doc = DocxLoader().load(Source.open(FIXTURES / "docx" / f"{seed}.docx"), LoadOptions())
    first = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Paragraph) and b.text.strip().startswith("一、"))
    doc.blocks = [b for i, b in enumerate(doc.blocks)
                  if i >= first or not isinstance(b, Paragraph) or len(b.text.strip()) > 48]
    return doc


def test_the_docx_title_property_names_the_agency(registry):
    doc = _docx_without_title("004_47b4ce0c4832982f")
    template = registry.layouts["gov2019"].template
    assert doc.properties["title"] == "seed 004_47b4ce0c4832982f"       # not a report title: not read
    assert read_narrative(doc, template).meta.agency is None
    doc.properties["title"] = "清凉峰镇2020年政府信息公开工作年度报告"
    meta = read_narrative(doc, template).meta
    assert (meta.title, meta.agency, meta.year) == (None, "清凉峰镇", 2020)   # the printed title stays null
    report = govconv.build_report(doc, Source.open(FIXTURES / "docx" / "004_47b4ce0c4832982f.docx"), registry)
    assert report.meta.agency == "清凉峰镇"


def test_the_real_pdf_without_its_title_lines(registry):
    """淮安: its title property is "政府信息公开工作年度报告" (no agency: not read); the preamble names
    淮安市人民政府办公室 as who compiled it (not the agency)."""
    from govconv_plugins.pdf import PdfLoader
    doc = PdfLoader().load(Source.open(realworld_file("huaian-city-2024.pdf")), LoadOptions())
    template = registry.layouts["gov2021"].template
    doc.blocks = [b for b in doc.blocks if not (isinstance(b, Paragraph) and b.text.strip() in
                                                ("淮安市人民政府", "2024 年政府信息公开工作年度报告"))]
    assert doc.properties["title"] == "政府信息公开工作年度报告"
    meta = read_narrative(doc, template).meta
    assert (meta.title, meta.agency, meta.year) == (None, None, 2024)
    doc.properties["title"] = "淮安市人民政府2024年政府信息公开工作年度报告"
    assert read_narrative(doc, template).meta.agency == "淮安市人民政府"


# == 5. a PDF title wrapped over two lines ==================================================================

def _pdf(lines: list[tuple[str, float, bool]], title: str | None = None) -> bytes:
    """A one-page text PDF (reportlab, CID font STSong-Light as fixtures/sweep/build_drawn.py uses):
    each line (text, size, centred), 1.8 × size apart."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    if title:
        c.setTitle(title)
    y = 770.0
    for text, size, centred in lines:
        c.setFont("STSong-Light", size)
        (c.drawCentredString if centred else c.drawString)(297.5 if centred else 72, y, text)
        y -= size * 1.8
    c.showPage()
    c.save()
    return buf.getvalue()


BODY = [("本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》规定编制。报告所", 12, False),
        ("列统计期限自2024年1月1日至2024年12月31日。", 12, False),
        ("一、总体情况", 12, False), ("2024年，我区认真贯彻落实《条例》。", 12, False),
        ("二、主动公开政府信息情况", 12, False)]


@pytest.mark.parametrize("title", [
    [("淮安市洪泽区人民政府", 22, True), ("2024年政府信息公开工作年度报告", 22, True)],
    [("淮安市洪泽区人民政府2024年政府信息公开工作年", 22, True), ("度报告", 22, True)],
    [("淮 安 市 洪 泽 区 人 民 政 府", 22, True), ("2024 年政府信息公开工作年度报告", 22, True)],
    # in the body's size, the second line runs into the preamble's first line in one paragraph
    [("淮安市洪泽区人民政府", 12, True), ("2024年政府信息公开工作年度报告", 12, True)],
    [("淮安市洪泽区人民政府", 16, True), ("2024年政府信息公开工作年度报告", 16, True)],
], ids=["two-lines", "cut-in-a-word", "letter-spaced", "run-into-preamble", "run-into-preamble-16pt"])
def test_a_pdf_title_wrapped_over_two_lines(registry, title):
    from govconv_plugins.pdf import PdfLoader
    doc = PdfLoader().load(Source.open(_pdf(title + BODY), name="wrapped.pdf"), LoadOptions())
    words = read_narrative(doc, registry.layouts["gov2021"].template)
    assert (words.meta.title, words.meta.agency, words.meta.year) == \
        ("淮安市洪泽区人民政府2024年政府信息公开工作年度报告", "淮安市洪泽区人民政府", 2024)
    assert words.preamble.startswith("本报告由淮安市洪泽区人民政府办公室")
    assert normalise_agency(words.meta.agency) == normalise_agency("洪泽区人民政府")


def test_a_pdf_without_a_title_line_uses_its_title_property(registry):
    from govconv_plugins.pdf import PdfLoader
    data = _pdf(BODY, title="淮安市洪泽区人民政府2024年政府信息公开工作年度报告")
    doc = PdfLoader().load(Source.open(data, name="untitled.pdf"), LoadOptions())
    meta = read_narrative(doc, registry.layouts["gov2021"].template).meta
    assert (meta.title, meta.agency, meta.year) == (None, "淮安市洪泽区人民政府", 2024)


# == 6. one agency, one key: normalise_agency ==================================================================

@pytest.mark.parametrize("a, b", [
    ("洪泽区人民政府", "淮安市洪泽区人民政府"),
    ("洪泽区人民政府", "江苏省淮安市洪泽区人民政府"),
    ("洪泽区人民政府", "洪泽区政府"),
    ("洪泽区人民政府", " 淮安市 洪泽区人民政府\u3000"),
    ("ＸＸ区人民政府", "XX区人民政府"),
    ("下城区武林街道办事处", "下城区武林街道"),
    ("杭州市下城区武林街道办事处", "下城区武林街道"),
    ("清凉峰镇人民政府", "清凉峰镇"),
    ("清凉峰镇政府", "清凉峰镇"),
    ("昆山市人民政府", "苏州市昆山市人民政府"),
    ("昆山市人民政府", "江苏省苏州市昆山市人民政府"),
    ("拱墅区行政审批服务管理办公室", "杭州市拱墅区行政审批服务管理办公室"),
    ("洪泽区人民政府办公室", "淮安市洪泽区政府办公室"),
    ("浦东新区人民政府", "上海市浦东新区人民政府"),
    ("某区经济开发区管理委员会", "某区经济开发区管委会"),
])
def test_one_body_under_two_names_is_one_key(a, b):
    assert normalise_agency(a) == normalise_agency(b)


@pytest.mark.parametrize("a, b", [
    ("洪泽区人民政府", "洪泽区人民政府办公室"),              # the office is another body
    ("淮安市人民政府", "淮安市人民政府办公室"),
    ("淮安市人民政府", "洪泽区人民政府"),
    ("淮安市人民政府", "人民政府"),
    ("淮安市市场监督管理局", "市场监督管理局"),                # no county-level name follows: the city stays
    ("淮安市经济技术开发区管理委员会", "宿迁市经济技术开发区管理委员会"),   # zones share names
    ("富阳区鹿山街道", "临安区鹿山街道"),                      # the district before a street stays
    ("富阳区鹿山街道", "富阳区鹿山街道社区卫生服务中心"),
])
def test_different_bodies_stay_apart(a, b):
    assert normalise_agency(a) != normalise_agency(b)


def test_normalise_without_a_name():
    assert normalise_agency(None) is None and normalise_agency("") is None and normalise_agency(" \u3000") is None
    assert normalise_agency(None, {"a": "b"}) is None


def test_aliases(tmp_path):
    aliases = AgencyAliases({"洪泽县人民政府": "洪泽区人民政府",             # the county became a district
                             "北京市朝阳区人民政府": "北京市朝阳区人民政府",   # two 朝阳区: keep them apart
                             "长春市朝阳区人民政府": "长春市朝阳区人民政府",
                             "老名字局": "新名字局", "新名字局": "最新名字局"})
    assert normalise_agency("洪泽县人民政府", aliases) == "洪泽区人民政府" == normalise_agency("淮安市洪泽区人民政府", aliases)
    assert normalise_agency("淮安市洪泽县人民政府", aliases) == "洪泽区人民政府"       # by the rules' key
    assert normalise_agency("北京市朝阳区人民政府", aliases) == "北京市朝阳区人民政府"
    assert normalise_agency("长春市朝阳区人民政府", aliases) == "长春市朝阳区人民政府"
    assert normalise_agency("朝阳区人民政府", aliases) == "朝阳区人民政府"            # could be either: neither
    assert normalise_agency("老名字局", aliases) == "最新名字局"                       # followed
    assert normalise_agency("无关的局", aliases) == "无关的局"
    # a plain dict works the same
    assert normalise_agency("洪泽县人民政府", dict(aliases)) == "洪泽区人民政府"


def test_alias_cycles_stop():
    assert normalise_agency("甲局", {"甲局": "乙局", "乙局": "甲局"}) in ("甲局", "乙局")


@pytest.mark.parametrize("name, content", [
    ("aliases.json", json.dumps({"洪泽县人民政府": "洪泽区人民政府", " 老局 ": "新局"}, ensure_ascii=False)),
    ("aliases.tsv", "# name\tcanonical\n洪泽县人民政府\t洪泽区人民政府\n\n老局\t新局\n"),
    ("aliases.csv", "name,canonical\n洪泽县人民政府,洪泽区人民政府\n老局 , 新局\n"),
])
def test_load_aliases(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, "utf-8")
    aliases = load_aliases(path)
    assert isinstance(aliases, AgencyAliases) and dict(aliases) == {"洪泽县人民政府": "洪泽区人民政府", "老局": "新局"}
    assert normalise_agency("洪泽县人民政府", aliases) == "洪泽区人民政府"
    assert load_aliases(str(path)) == aliases


@pytest.mark.parametrize("content", ["{not json", '["a", "b"]', '{"a": 1}', "just one column\n", "a\tb\tc\n"])
def test_load_aliases_refuses_what_is_not_a_table(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_text(content, "utf-8")
    with pytest.raises(UsageError):
        load_aliases(path)


def test_load_aliases_missing_file(tmp_path):
    with pytest.raises(InputNotFound):
        load_aliases(tmp_path / "nope.json")


@pytest.mark.parametrize("name, ok", [
    ("富阳区鹿山街道", True), ("鹿山街道", True), ("拱墅区行政审批服务管理办公室", True), ("镇江市人民政府", True),
    ("本溪市人民政府", True), ("全椒县人民政府", True), ("市中区人民政府", True),
    ("街道", False), ("本街道", False), ("我局", False), ("区行政审批办", False), ("市政府", False),
    ("全市", False), ("2021年鹿山街道", False), ("鹿山街道，", False),
])
def test_what_looks_like_an_agency_name(name, ok):
    assert is_agency_name(name) is ok


def test_canonical_agency_is_idempotent():
    for name in ("江苏省淮安市洪泽区人民政府", "下城区武林街道办事处", "清凉峰镇人民政府", "洪泽区政府办公室"):
        once = canonical_agency(name)
        assert canonical_agency(once) == once
