"""The html loader: the seed reports as web pages, the document model, encodings, web
archives, hostile pages — and fetching a report from a URL (a local http.server).

The pages are built by fixtures/build_html.py from the seed reports; the hostile
pages are built here and never committed.  Every test that reads a hostile page
runs with the network switched off (a socket that connects fails the test).
"""
from __future__ import annotations

import base64
import codecs
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import govconv
from conftest import FIXTURES, SEED_NAMES, SEEDS, expected, validate_report_json, wrong_cells
from govconv import ExitCode, LoadOptions, Paragraph, Source, Table
from govconv.errors import CorruptInput, GovconvError, InputNotFound, InputTimeout, InputTooLarge
from govconv_plugins import html_loader
from govconv_plugins.html_loader import HtmlLoader

HTML = FIXTURES / "html"
KINDS = ("portal.html", "gbk.html", "word.htm", "word.mht", "libreoffice.html")
PAGES = sorted(p.name for p in HTML.iterdir() if p.is_file())
#: text of the page around the article: none of it may reach the Document
CHROME = ("当前位置", "网站标识码", "索引号", "无障碍", "相关阅读", "脚本写入", "隐藏的旧稿", "分享到", "发布时间",
          "浏览次数", "主办单位", "咨询电话", "法定主动公开内容", "统计访问量", "打印本页", "搜索", "附件：",
          "杭州市人民政府办公厅", "长者模式", "关于我们")


def seed_of(name: str) -> str:
    return name.split(".")[0]


def load(data: bytes | Path, name: str = "t.html"):
    return HtmlLoader().load(Source.open(data, name=name if isinstance(data, bytes) else None), LoadOptions())


def page(body: str, head: str = "", charset: str | None = "utf-8") -> bytes:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<!DOCTYPE html><html><head>{meta}{head}</head><body>{body}</body></html>".encode(charset or "utf-8")


def only_table(doc) -> Table:
    tables = list(doc.tables())
    assert len(tables) == 1, [t.texts() for t in tables]
    return tables[0]


def boxes(table: Table) -> dict:
    return {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in table.cells}


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# == 1. the seed reports as web pages =============================================================

def test_every_seed_has_its_web_pages():
    assert SEED_NAMES
    missing = [f"{s}.{k}" for s in SEED_NAMES for k in KINDS if not (HTML / f"{s}.{k}").exists()]
    assert not missing, f"run fixtures/build_html.py: missing {missing}"
    assert any(n.endswith(".xhtml") for n in PAGES) and any(n.endswith(".mhtml") for n in PAGES)


@pytest.fixture(scope="module", params=PAGES)
def report(request):
    name = request.param
    seed = seed_of(name)
    got = govconv.convert(HTML / name).to_dict()
    txt = govconv.convert(SEEDS / f"{seed}.txt").to_dict()
    return name, got, txt, expected(seed)


def test_cells_match_the_expected_values(report):
    name, got, _, want = report
    wrong = wrong_cells(got["tables"], want["tables"])
    assert not wrong, f"{name}: {len(wrong)} wrong cells:\n" + "\n".join(wrong)


def test_cells_and_blank_marks_match_the_txt(report):
    name, got, txt, want = report
    assert not wrong_cells(got["tables"], txt["tables"]), name
    diff = [a for a, c in txt["cells"].items()
            if (got["cells"][a]["raw"] is None) != (c["raw"] is None) or got["cells"][a]["blank"] != c["blank"]]
    assert not diff, f"{name}: {diff}"
    assert got["blank_cells"] == sorted(want["blank_cells"])


def test_layout_meta_and_findings(report):
    name, got, txt, want = report
    assert got["layout"] == want["layout"] == txt["layout"]
    for key in ("year", "agency", "title"):
        assert got["meta"][key] == want["meta"][key] == txt["meta"][key], f"{name}: meta.{key}"
    rules = sorted({f["rule"] for f in got["findings"]})
    assert rules == want["finding_rules"] == sorted({f["rule"] for f in txt["findings"]}), name


def test_sections_and_preamble_match_the_txt(report):
    name, got, txt, _ = report
    assert [(s["number"], s["heading"], s["text"]) for s in got["sections"]] == \
           [(s["number"], s["heading"], s["text"]) for s in txt["sections"]], name
    assert got["preamble"] == txt["preamble"], name


def test_json_follows_the_schema_and_names_the_html_source(report):
    name, got, _, _ = report
    validate_report_json(got)
    assert got["source"]["format"] == "html" and got["source"]["loader"] == "html"
    assert got["source"]["file"] == name


@pytest.mark.parametrize("name", [n for n in PAGES if ".portal." in n or ".gbk." in n or ".mhtml" in n])
def test_nothing_of_the_page_chrome_reaches_the_document(name):
    doc = load(HTML / name)
    text = "\n".join([b.text for b in doc.paragraphs()] + [c.text for t in doc.tables() for c in t.cells])
    report = (SEEDS / f"{seed_of(name)}.txt").read_text("utf-8")
    leaked = [w for w in CHROME if w in text and w not in report]
    assert not leaked, f"{name}: {leaked}"
    assert doc.properties["article"] == "div#zoom.TRS_Editor"
    assert len(list(doc.tables())) == len([b for b in govconv_docx(seed_of(name)).blocks if isinstance(b, Table)])


def govconv_docx(seed: str):
    from govconv_plugins.docx_loader import DocxLoader
    return DocxLoader().load(Source.open(FIXTURES / "docx" / f"{seed}.docx"), LoadOptions())


@pytest.mark.parametrize("name", [n for n in PAGES if ".portal." in n or ".gbk." in n])
def test_page_facts_are_properties_not_the_reports_meta(name):
    """The page's <title>, headline and 发布时间/来源 line: kept, and never the report's year or agency."""
    seed = seed_of(name)
    want = expected(seed)["meta"]
    doc = load(HTML / name)
    props = doc.properties
    year = want["year"]
    assert props["page_title"] == f"{year + 1}年政府信息公开年报专栏_杭州市人民政府门户网站"
    assert props["published"] == f"{year + 1}-01-20"
    assert props["published_by"] == "杭州市人民政府办公厅"
    assert props["headline"] == (want["title"] or f"{want['agency']}{year}年政府信息公开工作年度报告")
    assert props["encoding"] == ("gb18030" if ".gbk." in name else "utf-8")
    meta = govconv.convert(HTML / name).to_dict()["meta"]
    assert meta["year"] == year and meta["agency"] == want["agency"] != props["published_by"]


def test_word_and_libreoffice_pages_say_who_made_them():
    seed = SEED_NAMES[0]
    word = load(HTML / f"{seed}.word.htm").properties
    assert word["producer"] == "Microsoft Word 15" and word["encoding"] == "gb18030"
    assert word["article"] == "div.WordSection1" and word["page_title"] == f"seed {seed}"
    lo = load(HTML / f"{seed}.libreoffice.html").properties
    assert lo["producer"].startswith("LibreOffice")
    mht = load(HTML / f"{seed}.word.mht").properties
    assert mht["archive"] == "mime" and mht["part"].endswith(f"{seed}.htm") and mht["encoding"] == "gb18030"
    chrome = load(HTML / f"{seed}.chrome.mhtml").properties
    assert chrome["part"].startswith("http://www.example.gov.cn/") and chrome["encoding"] == "utf-8"


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_seed_pages_have_the_docx_row_views(seed):
    """rowspan/colspan, read on the true grid, give each row as the docx's vMerge/gridSpan do."""
    want = [[["".join(t.split()) for t in r] for r in t.texts()] for t in govconv_docx(seed).tables()]
    for kind in KINDS:
        tables = list(load(HTML / f"{seed}.{kind}").tables())
        assert all(t.grid for t in tables)
        got = [[["".join(x.split()) for x in r] for r in t.texts()] for t in tables]
        assert got == want, kind


def test_publication_line_inside_the_article_is_not_the_title():
    """A CMS that prints 发布时间/来源 and the date inside the article body: narrative skips them."""
    seed = next(s for s in SEED_NAMES if expected(s)["meta"]["title"])
    text = (HTML / f"{seed}.portal.html").read_text("utf-8")
    text = text.replace('<div id="zoom" class="TRS_Editor">', '<div id="zoom" class="TRS_Editor">'
                        '<p>发布时间：2030年01月20日 09:30　来源：杭州市人民政府办公厅</p><p>2030-01-20</p>')
    d = govconv.convert(text.encode("utf-8"), name="inside.html").to_dict()
    want = expected(seed)["meta"]
    assert {k: d["meta"][k] for k in ("title", "agency", "year")} == {k: want[k] for k in ("title", "agency", "year")}
    assert "2030" in d["preamble"]


# == 2. the document model ==============================================================================

def test_rowspan_and_colspan_on_the_true_grid():
    table = only_table(load(page(
        "<table>"
        "<tr><td rowspan=3 colspan=2>A</td><td>B</td><td rowspan=2>C</td></tr>"
        "<tr><td>D</td></tr>"
        "<tr><td>E</td><td>F</td></tr>"
        "<tr><td>G</td><td colspan=3>H</td></tr>"
        "</table>")))
    assert table.grid
    assert boxes(table) == {"A": (0, 0, 3, 2), "B": (0, 2, 1, 1), "C": (0, 3, 2, 1), "D": (1, 2, 1, 1),
                            "E": (2, 2, 1, 1), "F": (2, 3, 1, 1), "G": (3, 0, 1, 1), "H": (3, 1, 1, 3)}
    # exactly the docx semantics: a position covered from above is an empty placeholder
    assert table.texts() == [["A", "B", "C"], ["", "D", ""], ["", "E", "F"], ["G", "H"]]


def test_row_groups_spans_and_odd_attributes():
    table = only_table(load(page(
        "<table><tfoot><tr><td>foot</td><td>f2</td></tr></tfoot>"
        "<thead><tr><th rowspan=5>H</th><th>h2</th></tr><tr><th>h3</th></tr></thead>"
        "<tbody><tr><td rowspan=0>Z</td><td>b1</td></tr><tr><td>b2</td></tr></tbody>"
        "<tbody><tr><td colspan=0 rowspan='2px'>x</td><td colspan=' 2'>y</td></tr><tr></tr></tbody>"
        "</table>")))
    got = boxes(table)
    assert got["H"] == (0, 0, 2, 1)          # a rowspan ends with its row group (thead)
    assert got["Z"] == (2, 0, 2, 1)          # rowspan=0: to the end of the row group
    assert got["x"] == (4, 0, 2, 1) and got["y"] == (4, 1, 1, 2)   # colspan=0 is 1; "2px" is 2
    assert got["foot"] == (6, 0, 1, 1)       # tfoot is shown last, wherever it is written
    assert table.n_rows == 7


def test_rowspan_beyond_the_table_is_cut_at_its_end_and_empty_rows_vanish():
    table = only_table(load(page("<table><tr></tr><tr><td rowspan=99>a</td><td>b</td></tr>"
                                 "<tr><td>c</td></tr><tr></tr></table>")))
    assert boxes(table) == {"a": (0, 0, 3, 1), "b": (0, 1, 1, 1), "c": (1, 1, 1, 1)}


def test_cell_text_keeps_its_lines_and_drops_padding():
    table = only_table(load(page(
        "<table border='0'><tr>"
        "<td><p>本年</p><p>&nbsp;</p><p><span>制发</span><span>件数</span></p></td>"
        "<td>&nbsp;&nbsp;0&nbsp;</td>"
        "<td><p>商业<br>企业</p></td>"
        "<td><p>自</p><p>然</p><p>人</p></td>"
        "<td>  <p>\u3000</p>  </td>"
        "<td><div>（二）部分公开</div><div>（区分处理的）</div></td>"
        "</tr><tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td></tr></table>")))
    assert table.texts()[0] == ["本年\n制发件数", "0", "商业\n企业", "自\n然\n人", "", "（二）部分公开\n（区分处理的）"]


def test_source_line_breaks_between_chinese_characters_are_no_space():
    doc = load(page("<p>政府信息公开工作\n   年度报告 2021\n年</p><p>a\nb&nbsp;&nbsp;c</p><pre>x  y\nz</pre>"))
    assert [b.text for b in doc.paragraphs()] == ["政府信息公开工作年度报告 2021 年", "a b  c", "x  y", "z"]


def test_hidden_scripted_and_form_content_is_not_text():
    doc = load(page("<p>正文</p><script>document.write('<p>脚本</p>')</script><style>p{}</style>"
                    "<noscript>无脚本</noscript><div hidden>隐藏一</div><span style='display: none'>隐藏二</span>"
                    "<p style='mso-hide:all'>隐藏三</p><select><option>选项</option></select><button>按钮</button>"
                    "<textarea>文本框</textarea><template><p>模板</p></template><p>结尾</p>",
                    head="<title>页面标题</title>"))
    assert [b.text for b in doc.paragraphs()] == ["正文", "结尾"]
    assert doc.properties["page_title"] == "页面标题"


def test_layout_tables_are_read_as_blocks_in_order():
    data_table = "<table><tr><td>规章</td><td>0</td></tr><tr><td>规范性文件</td><td>1</td></tr></table>"
    doc = load(page(f"<table><tr><td><p>左</p></td><td><p>前文</p>{data_table}<p>后文</p></td></tr></table>"
                    f"<table><tr><td>单格布局表</td></tr></table>"))
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else b.texts()) for b in doc.blocks]
    assert kinds == [("Paragraph", "左"), ("Paragraph", "前文"),
                     ("Table", [["规章", "0"], ["规范性文件", "1"]]), ("Paragraph", "后文"),
                     ("Paragraph", "单格布局表")]


def test_word_placeholder_and_libreoffice_borderless_cells_are_no_cells():
    drawn = "style='border:solid windowtext 1.0pt'"
    table = only_table(load(page(
        f"<table><tr><td {drawn}>a</td><td {drawn}>b</td><td {drawn}>c</td></tr>"
        f"<tr><td style='mso-cell-special:placeholder;border:none'><p>&nbsp;</p></td><td {drawn}>d</td>"
        f"<td {drawn}>e</td></tr>"
        f"<tr><td {drawn}>f</td><td style='border: none; padding: 0in'><p></p></td>"
        f"<td style='border: none'></td></tr></table>")))
    assert boxes(table) == {"a": (0, 0, 1, 1), "b": (0, 1, 1, 1), "c": (0, 2, 1, 1), "d": (1, 1, 1, 1),
                            "e": (1, 2, 1, 1), "f": (2, 0, 1, 1)}
    # in a table without drawn borders, an empty borderless cell is an empty cell
    table = only_table(load(page("<table><tr><td>a</td><td style='border:none'></td></tr></table>")))
    assert table.texts() == [["a", ""]]


def test_caption_is_a_paragraph_before_its_table():
    doc = load(page("<table><caption>表一</caption><tr><td>a</td><td>b</td></tr></table>"))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table"] and doc.blocks[0].text == "表一"


def test_article_is_found_and_the_chrome_dropped():
    nav = "".join(f"<li><a href='/{i}'>栏目{i}</a></li>" for i in range(30))
    prose = "".join(f"<p>第{i}段：本机关认真贯彻落实政府信息公开条例，依法主动公开政府信息，回应社会关切，"
                    f"保障人民群众的知情权、参与权和监督权。</p>" for i in range(12))
    figures = ("<table><tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td></tr>"
               "<tr><td>规章</td><td>1</td><td>2</td></tr><tr><td>规范性文件</td><td>3</td><td>4</td></tr></table>")
    doc = load(page(f"<div class='head'><ul>{nav}</ul></div><div class='main'><h1>标题：某局年报</h1>"
                    f"<div class='text'>{prose}</div><div class='tables'>{figures}</div></div>"
                    f"<div class='foot'><p>版权所有：某市人民政府办公室 备案号 12345</p></div>"))
    texts = [b.text for b in doc.paragraphs()]
    assert texts[0].startswith("第0段") and texts[-1].startswith("第11段") and len(texts) == 12
    assert len(list(doc.tables())) == 1                     # the figures beside the text joined the article
    assert doc.properties["article"] == "div.main" and doc.properties["headline"] == "标题：某局年报"


def test_accepts_is_cheap_and_graded():
    lo = HtmlLoader()
    assert lo.accepts(Source(b"<p>x</p>", "a.html")) == lo.accepts(Source(b"", "a.HTM")) == 0.9
    assert lo.accepts(Source(b"MIME-Version: 1.0\r\n", "a.mht")) == 0.9
    assert lo.accepts(Source(b"\xef\xbb\xbf<!DOCTYPE html><html>", "<bytes>")) == 0.8
    assert lo.accepts(Source("<html>".encode("utf-16"), "<bytes>")) == 0.8
    assert lo.accepts(Source(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", "a.doc")) == 0.8
    assert lo.accepts(Source(b"<html><body>", "report.doc")) == 0.8     # Word's web page named .doc
    assert lo.accepts(Source(b"<table><tr><td>", "x")) == 0.5
    for data, name in ((b"%PDF-1.7", "a.html"), (b"PK\x03\x04", "a.htm"), (b"\xd0\xcf\x11\xe0", "a.mht"),
                       (b"<html>", "a.txt"), ("一、总体情况\n\t规章\n".encode(), "<bytes>")):
        assert lo.accepts(Source(data, name)) == 0.0, name
    reg = govconv.Registry()
    assert reg.choose_loader(Source(b"<html><body><p>x</p></body></html>", "page.shtml")).name == "html"


# == 3. encodings ==========================================================================================

BODY = "<p>富阳区鹿山街道2021年政府信息公开工作年度报告</p>"
TEXT = "富阳区鹿山街道2021年政府信息公开工作年度报告"
TEXT_BIG5 = "富陽區鹿山街道2021年政府資訊公開工作年度報告"


@pytest.mark.parametrize("data,codec", [
    (codecs.BOM_UTF8 + page(BODY, charset=None), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + page(BODY, charset=None).decode().encode("utf-16-le"), "utf-16"),
    (page(BODY, charset=None).decode().encode("utf-16-le"), "utf-16-le"),
    (page(BODY, charset="gbk"), "gb18030"),
    (page(BODY, charset="gb2312"), "gb18030"),
    (page(BODY, charset="gb18030"), "gb18030"),
    ((f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=GB2312"></head>'
      f"<body>{BODY}</body></html>").encode("gbk"), "gb18030"),
    (f'<?xml version="1.0" encoding="gbk"?><html><body>{BODY}</body></html>'.encode("gbk"), "gb18030"),
    (page(BODY * 20, charset=None).decode().encode("gbk"), "gb18030"),        # nothing declared: detected
    (page(BODY, charset="gb2312").decode("gbk").encode("utf-8"), "utf-8"),   # mislabelled: UTF-8 wins
    (page(BODY.replace(TEXT, TEXT_BIG5), charset="big5"), "big5hkscs"),
])
def test_encodings(data, codec):
    doc = load(data)
    assert {b.text for b in doc.paragraphs()} in ({TEXT}, {TEXT_BIG5})
    assert doc.properties["encoding"] == codec and not doc.findings


def test_undecodable_bytes_are_replaced_and_said():
    data = page(BODY, charset=None).decode().encode("gbk")[:-40] + b"\xff\xfe\xff" + b"</p></body></html>"
    doc = load(data * 1)
    assert [f.rule for f in doc.findings] == ["text.decoding"]
    assert doc.findings[0].values["count"] >= 1 and doc.findings[0].message_zh and doc.findings[0].message_en


# == 4. web archives ==========================================================================================

def archive(html: bytes, *, cte: str = "base64", charset: str | None = "utf-8", start: bool = False,
            extra_html_first: bool = False) -> bytes:
    boundary = "b0und4ry"
    body = base64.encodebytes(html).decode() if cte == "base64" else __import__("quopri").encodestring(html).decode()
    ctype = "text/html" + (f'; charset="{charset}"' if charset else "")
    parts = []
    if extra_html_first:
        parts.append(f"--{boundary}\r\nContent-Type: text/html\r\nContent-ID: <other>\r\n\r\n<p>别的框架</p>\r\n")
    parts.append(f"--{boundary}\r\nContent-Type: {ctype}\r\nContent-ID: <main>\r\n"
                 f"Content-Transfer-Encoding: {cte}\r\nContent-Location: http://example.org/a.html\r\n\r\n{body}\r\n")
    parts.append(f"--{boundary}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                 f"iVBORw0KGgo=\r\n--{boundary}--\r\n")
    head = (f'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="{boundary}"'
            + ('; start="<main>"' if start else "") + "\r\n\r\n")
    return head.encode() + "".join(parts).encode("utf-8")


@pytest.mark.parametrize("cte,charset", [("base64", "utf-8"), ("quoted-printable", "gb2312"),
                                         ("quoted-printable", None)])
def test_archive_part_is_decoded(cte, charset):
    html = f"<html><body>{BODY}</body></html>".encode(charset or "gbk")
    doc = load(archive(html, cte=cte, charset=charset), "a.mht")
    assert [b.text for b in doc.paragraphs()] == [TEXT]
    assert doc.properties["part"] == "http://example.org/a.html"


def test_archive_root_is_the_start_part():
    doc = load(archive(f"<html><body>{BODY}</body></html>".encode(), start=True, extra_html_first=True), "a.mhtml")
    assert [b.text for b in doc.paragraphs()] == [TEXT]
    doc = load(archive(f"<html><body>{BODY}</body></html>".encode(), extra_html_first=True), "a.mhtml")
    assert [b.text for b in doc.paragraphs()] == ["别的框架"]       # no start: the first HTML part


def test_archive_without_html_is_refused():
    data = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="x"\r\n\r\n'
            b"--x\r\nContent-Type: image/png\r\n\r\nabc\r\n--x--\r\n")
    with pytest.raises(CorruptInput, match="no HTML part"):
        govconv.convert(data, name="a.mht")


# == 5. hostile pages: a clear error or a correct reading, never the network, never a hang ==================

BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
                  + "]><html><body><p>&lol9;</p></body></html>")
XXE = '<!DOCTYPE html [<!ENTITY x SYSTEM "http://127.0.0.1:9/steal">]><html><body><p>&x;</p></body></html>'
EXTERNAL_DTD = ('<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml">'
                '<body><p>&nbsp;正文&amp;&#20013;&copy;</p></body></html>')
REMOTE = ('<html><head><base href="http://203.0.113.9/x/"><meta http-equiv="refresh" content="0; url=http://203.0.113.9/">'
          '<link rel="stylesheet" href="http://203.0.113.9/s.css"><script src="http://203.0.113.9/a.js"></script>'
          '</head><body><img src="http://203.0.113.9/i.png"><img src="data:image/png;base64,iVBORw0KGgo=">'
          '<iframe src="http://203.0.113.9/f.html"></iframe><object data="http://203.0.113.9/o.swf"></object>'
          '<a href="data:text/html,<p>x</p>">链接</a><p>正文</p></body></html>')


def hostile(kind: str) -> tuple[bytes, type | None]:
    """A hostile page of ``kind`` and the error it must raise (None: it must read correctly)."""
    if kind == "billion_laughs":
        return BILLION_LAUGHS.encode(), CorruptInput
    if kind == "xxe":
        return XXE.encode(), CorruptInput
    if kind == "entity_without_doctype":
        return b'<html><body><!ENTITY x "y"><p>a</p></body></html>', CorruptInput
    if kind == "deep_nesting":
        return b"<html><body>" + b"<div>" * 100_000 + b"x" + b"</div>" * 100_000 + b"</body></html>", CorruptInput
    if kind == "deep_unclosed":
        return b"<html><body>" + b"<span><font>" * 50_000 + b"x</body></html>", CorruptInput
    if kind == "deep_tables":
        return b"<html><body>" + b"<table><tr><td>" * 2000 + b"x" + b"</td></tr></table>" * 2000, CorruptInput
    if kind == "huge_page":
        return b"<html><body><p>" + b"a" * (html_loader.MAX_HTML_BYTES + 10) + b"</p></body></html>", InputTooLarge
    if kind == "huge_spans":
        rows = "".join("<tr><td colspan=1000 rowspan=65534>1</td></tr>" for _ in range(50))
        return f"<html><body><table>{rows}<tr><td>a</td></tr></table></body></html>".encode(), CorruptInput
    if kind == "many_cells":
        row = "<tr>" + "<td colspan=999>1</td>" * 20 + "</tr>"
        return f"<html><body><table>{row * 100}</table></body></html>".encode(), CorruptInput
    if kind == "external_dtd":
        return EXTERNAL_DTD.encode(), None
    if kind == "remote_references":
        return REMOTE.encode(), None
    if kind == "nul_and_controls":
        return b"<html><body><p>\x00\x01a\x00b\x08</p><p>\x7f\x1b[31m</p></body></html>", None
    if kind == "binary_garbage":
        return bytes(range(256)) * 64, None
    if kind == "unclosed_everything":
        return b"<html><body><table><tr><td>a<td>b<tr><td>c<p>d<div>e", None
    raise AssertionError(kind)


HOSTILE = ["billion_laughs", "xxe", "entity_without_doctype", "deep_nesting", "deep_unclosed", "deep_tables",
           "huge_page", "huge_spans", "many_cells", "external_dtd", "remote_references", "nul_and_controls",
           "binary_garbage", "unclosed_everything"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_page_is_refused_or_read_without_network(kind, no_network):
    data, error = hostile(kind)
    started = time.monotonic()
    if error is None:
        doc = load(data, f"{kind}.html")
        assert isinstance(doc.blocks, list)
    else:
        with pytest.raises(GovconvError) as info:
            govconv.convert(data, name=f"{kind}.html")
        assert type(info.value) is error, f"{kind}: {type(info.value).__name__}: {info.value}"
        e = info.value
        assert e.zh and e.en and e.path == f"{kind}.html" and "\n" not in e.message()
    assert time.monotonic() - started < 20, kind


def test_hostile_pages_read_what_a_browser_shows(no_network):
    assert [b.text for b in load(hostile("external_dtd")[0]).paragraphs()] == ["正文&中©"]
    doc = load(hostile("remote_references")[0])
    assert [b.text for b in doc.paragraphs()] == ["正文"]          # the link alone is no article
    assert "".join(b.text for b in load(hostile("nul_and_controls")[0]).paragraphs()).count("a") == 1
    table = only_table(load(hostile("unclosed_everything")[0]))
    assert table.texts()[0] == ["a", "b"]
    deep = err_of("deep_nesting")
    assert "deeply" in deep.en and "嵌套" in deep.zh
    assert "entities" in err_of("billion_laughs").en and "too large" in err_of("huge_page").en


def err_of(kind: str) -> GovconvError:
    with pytest.raises(GovconvError) as info:
        govconv.convert(hostile(kind)[0], name=f"{kind}.html")
    return info.value


def test_entity_declarations_are_refused_in_every_encoding(no_network):
    for codec in ("utf-8", "utf-16", "gbk"):
        with pytest.raises(CorruptInput, match="entities"):
            govconv.convert(BILLION_LAUGHS.replace('<?xml version="1.0"?>', "").encode(codec), name="x.html")


def test_no_recursion_error_escapes_a_deep_page(no_network):
    """Even a parser without a depth limit would give a tree the walk reads without recursing."""
    from lxml import etree

    depth = 5000
    root = etree.Element("html")
    body = etree.SubElement(root, "body")
    el = body
    for _ in range(depth):
        el = etree.SubElement(el, "div")
    el.text = "底部"
    page_ = html_loader._Page()
    page_.walk(body)
    assert [b.text for b in page_.blocks] == ["底部"]


# == 6. the command line ======================================================================================

@pytest.mark.parametrize("kind,code", [("billion_laughs", ExitCode.CORRUPT), ("xxe", ExitCode.CORRUPT),
                                       ("deep_nesting", ExitCode.CORRUPT), ("huge_spans", ExitCode.CORRUPT),
                                       ("huge_page", ExitCode.TOO_LARGE)])
def test_cli_exit_code_and_one_line_bilingual_message(tmp_path, kind, code, cli):
    data, _ = hostile(kind)
    path = tmp_path / f"{kind}.html"
    path.write_bytes(data)
    p = cli(path, "--to", "json")
    err = p.err
    assert p.code == code, err
    assert "Traceback" not in err and p.out == b""
    lines = [line for line in err.splitlines() if path.name in line]
    assert len(lines) == 1 and len(err.strip().splitlines()) == 1, err
    assert " / " in lines[0] and any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])


def test_cli_converts_web_pages_and_archives(cli):
    seed = SEED_NAMES[0]
    p = cli(HTML / f"{seed}.portal.html", HTML / f"{seed}.word.mht", "--to", "json")
    assert p.code == 0, p.err
    reports = json.loads(p.out)
    validate_report_json(reports)
    for d in reports:
        assert not wrong_cells(d["tables"], expected(seed)["tables"]) and d["source"]["loader"] == "html"


# == 7. a report from a URL: one GET, nothing else ===============================================================

class _Handler(BaseHTTPRequestHandler):
    log: list = []
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):          # quiet; the requests are kept in ``log`` instead
        pass

    def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(headers.pop("length", len(body))))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.log.append(self.path)
        path = self.path
        if path.startswith("/html/"):
            data = (HTML / path[len("/html/"):]).read_bytes()
            ctype = "multipart/related" if path.endswith((".mht", ".mhtml")) else "text/html"
            return self._send(200, data, ctype)
        if path == "/assets.html":
            seed = SEED_NAMES[0]
            text = (HTML / f"{seed}.portal.html").read_text("utf-8")
            port = self.server.server_address[1]
            extra = (f'<base href="http://127.0.0.1:{port}/other/"><meta http-equiv="refresh" content="0; '
                     f'url=http://127.0.0.1:{port}/refresh"><link rel="stylesheet" href="/style.css">'
                     f'<script src="/script.js"></script>')
            text = text.replace("<head>", "<head>" + extra, 1).replace(
                "<body>", '<body><img src="/image.png"><img src="image2.png"><iframe src="/frame.html"></iframe>'
                          '<script src="http://127.0.0.1:%d/other.js"></script>' % port, 1)
            return self._send(200, text.encode("utf-8"))
        if path == "/redirect":
            return self._send(302, b"", Location=f"/html/{SEED_NAMES[0]}.portal.html")
        if path == "/redirect-file":
            return self._send(302, b"", Location="file:///etc/passwd")
        if path == "/redirect-ftp":
            return self._send(301, b"", Location="ftp://127.0.0.1/report.html")
        if path == "/loop":
            return self._send(302, b"", Location="/loop")
        if path.startswith("/download"):
            data = (FIXTURES / "docx" / f"{SEED_NAMES[0]}.docx").read_bytes()
            return self._send(200, data, "application/octet-stream",
                              Content_Disposition="attachment; filename=\"report.docx\"")
        if path == "/gzip":
            import gzip
            data = gzip.compress((HTML / f"{SEED_NAMES[0]}.portal.html").read_bytes())
            return self._send(200, data, Content_Encoding="gzip")
        if path == "/slow":
            time.sleep(3)
            return self._send(200, b"<p>late</p>")
        if path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(40):
                try:
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
            return
        if path == "/big-declared":
            return self._send(200, b"<p>x</p>", length=50_000_000)
        if path == "/big-streamed":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            except OSError:
                pass
            self.close_connection = True
            return
        return self._send(404, b"not found")


@pytest.fixture(scope="module")
def server():
    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            # a client that gave up (the time-limit tests make them) is expected: no traceback on stderr
            # seconds later, in the middle of another test's captured output
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    httpd = Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def requests(server, monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    _Handler.log.clear()
    return _Handler.log


def fetch(url: str, **kw):
    from govconv.reading.fetch import fetch as fetch_
    return fetch_(url, timeout=kw.pop("timeout", 10), max_bytes=kw.pop("max_bytes", 64 << 20))


@pytest.mark.parametrize("kind", ["portal.html", "word.mht"])
def test_a_page_fetched_converts_like_the_file(server, requests, kind):
    seed = SEED_NAMES[0]
    url = f"{server}/html/{seed}.{kind}"
    source = fetch(url)
    assert source.name == url and source.data == (HTML / f"{seed}.{kind}").read_bytes()
    d = govconv.convert(source.data, name=source.name).to_dict()
    assert not wrong_cells(d["tables"], expected(seed)["tables"])
    assert d["source"]["file"] == url and d["source"]["loader"] == "html"
    assert requests == [f"/html/{seed}.{kind}"]


def test_nothing_but_the_page_is_requested(server, requests):
    """<img>, <script src>, <link>, <iframe>, <base> and <meta refresh> are never requested."""
    source = fetch(f"{server}/assets.html")
    report = govconv.convert(source.data, name=source.name)
    assert not wrong_cells(report.to_dict()["tables"], expected(SEED_NAMES[0])["tables"])
    time.sleep(0.2)
    assert requests == ["/assets.html"]


def test_redirects_within_http_are_followed_and_named_by_the_request(server, requests):
    source = fetch(f"{server}/redirect")
    assert source.name == f"{server}/redirect#document.html"
    assert requests == ["/redirect", f"/html/{SEED_NAMES[0]}.portal.html"]


def test_server_file_name_gives_the_extension(server, requests):
    source = fetch(f"{server}/download?id=3")
    assert source.name == f"{server}/download?id=3#report.docx"
    assert govconv.convert(source.data, name=source.name).to_dict()["source"]["loader"] == "docx"


def test_gzip_body_is_inflated(server, requests):
    source = fetch(f"{server}/gzip")
    assert source.data == (HTML / f"{SEED_NAMES[0]}.portal.html").read_bytes()


@pytest.mark.parametrize("path,error,words", [
    ("/redirect-file", InputNotFound, "file:///etc/passwd"),
    ("/redirect-ftp", InputNotFound, "ftp://"),
    ("/loop", InputNotFound, "redirect"),
    ("/missing", InputNotFound, "HTTP 404"),
    ("/big-declared", InputTooLarge, "too large"),
    ("/big-streamed", InputTooLarge, "too large"),
])
def test_fetch_errors(server, requests, path, error, words):
    with pytest.raises(GovconvError) as info:
        fetch(f"{server}{path}", max_bytes=1 << 20)
    assert type(info.value) is error, info.value
    assert words in info.value.message() and info.value.path == f"{server}{path}"
    assert info.value.zh and info.value.en and "\n" not in info.value.message()


def test_fetch_is_bounded_in_time(server, requests):
    for path, timeout in (("/slow", 0.5), ("/drip", 1.0)):
        started = time.monotonic()
        with pytest.raises(InputTimeout):
            fetch(f"{server}{path}", timeout=timeout)
        assert time.monotonic() - started < timeout * 2 + 1, path


def test_fetch_refuses_other_schemes_and_unreachable_hosts(no_network):
    for url in ("file:///etc/passwd", "ftp://example.org/x", "data:text/html,<p>x</p>", "http://",
                "http://user:pw@example.org/", "http://example.org/a b", "http://example.org:99999/"):
        with pytest.raises(InputNotFound):
            fetch(url)


def test_fetch_connection_refused(requests):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(InputNotFound) as info:
        fetch(f"http://127.0.0.1:{port}/report.html", timeout=5)
    assert info.value.exit_code == ExitCode.INPUT_NOT_FOUND and "cannot download" in info.value.en


def test_is_url():
    from govconv.reading.fetch import is_url
    assert is_url("https://x.gov.cn/a.html") and is_url("HTTP://x") and not is_url("report.html")
    assert not is_url(b"http://x") and not is_url("ftp://x") and not is_url("/tmp/http://x")
