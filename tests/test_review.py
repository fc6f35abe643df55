"""The review page: one self-contained HTML page per report, checked as a browser draws it.

The browser tests run Debian's chromium headless (``apt-get install -y chromium``);
they skip when it is missing, except in CI (CI=true), where they fail.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from lxml import html as lhtml

import govconv
from conftest import FIXTURES, IN_CI, one_line_error, realworld_file
from govconv.errors import ExitCode
from govconv.review.page import build_page

ROW_SUM = FIXTURES / "rules" / "applications.row_sum.txt"
NEW_ROW = "\t一、本年新收政府信息公开申请数量\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n"
CARRIED_OVER = "\t二、上年结转政府信息公开申请数量\n\t0\n"


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def cell_el(doc, address):
    (el,) = doc.xpath(f'//td[@id="c-{address}"]')
    return el


def mixed_text() -> str:
    """The row-sum fixture with a blank cell (上年结转 · 自然人 is '-') and a row in doubt (本年新收
    has one number too many)."""
    text = ROW_SUM.read_text("utf-8")
    assert NEW_ROW in text and CARRIED_OVER in text
    return text.replace(NEW_ROW, NEW_ROW + "\t5\n").replace(CARRIED_OVER, "\t二、上年结转政府信息公开申请数量\n\t-\n")


def assert_self_contained(page: str):
    doc = lhtml.fromstring(page)
    assert not doc.xpath("//link | //iframe | //object | //embed | //script[@src] | //base")
    for el in doc.xpath("//*[@src]"):
        assert el.get("src").startswith("data:"), el.get("src")[:60]
    for el in doc.xpath("//a[@href]"):
        assert el.get("href").startswith("#"), el.get("href")
    assert not re.search(r"url\(\s*['\"]?(?!data:)", page), "CSS may fetch nothing"
    assert "default-src 'none'" in page


# -- the page ------------------------------------------------------------------------------------

def test_findings_and_cells_link_both_ways(registry):
    report = govconv.convert(ROW_SUM, registry=registry)
    page = build_page(report, ROW_SUM.read_bytes(), template=registry.layouts[report.layout].template)
    assert_self_contained(page)
    doc = lhtml.fromstring(page)
    assert len(report.findings) == 2
    for i, f in enumerate(report.findings, 1):
        (li,) = doc.xpath(f'//li[@id="f-{i}"]')
        text = li.text_content()
        assert f.message_zh in text and f.message_en in text and f.rule in text
        assert [a.get("href") for a in li.xpath('.//a[@class="cellref"]')] == [f"#c-{a}" for a in f.cells]
        for a in f.cells:
            td = cell_el(doc, a)
            assert {"finding", "sev-warning"} <= classes(td)
            assert f"#f-{i}" in [x.get("href") for x in td.xpath('.//a[@class="fref"]')]
    named = {a for f in report.findings for a in f.cells}
    for c in report.cells():
        td = cell_el(doc, c.address)
        assert ("finding" in classes(td)) == (c.address in named)
        assert td.xpath('string(.//span[@class="val"])') == str(c.value)
        pop = td.xpath('.//div[@class="pop"]')[0].text_content()
        assert c.address in pop and c.label in pop and f"line {c.origin.line}" in pop


def test_tables_are_drawn_as_the_template_draws_them(registry):
    report = govconv.convert(ROW_SUM, registry=registry)
    doc = lhtml.fromstring(build_page(report, template=registry.layouts[report.layout].template))
    (t3,) = doc.xpath('//table[@data-table="applications"]')
    heads = {th.text_content(): th for th in t3.xpath(".//th")}
    assert heads["申请人情况"].get("colspan") == "7"
    assert heads["法人或其他组织"].get("colspan") == "5"
    assert heads["自然人"].get("rowspan") == "2" and heads["总计"].get("rowspan") == "2"
    assert heads["三、本年度办理结果"].get("rowspan") == str(len(report.tables["applications"].rows) - 3)
    assert heads["（三）不予公开"].get("rowspan") == "8" and heads["（五）不予处理"].get("rowspan") == "5"
    assert heads["一、本年新收政府信息公开申请数量"].get("colspan") == "3"
    assert heads["1.属于国家秘密"].get("colspan") is None
    # every row label, in the template's order, and 7 values per row
    labels = [r.label for r in report.tables["applications"].rows.values()]
    assert [th.text_content() for th in t3.xpath('.//th[contains(@class, "rowlabel")]')] == labels
    assert all(len(tr.xpath("./td")) == 7 for tr in t3.xpath(".//tr[@data-row]"))
    # table 四: 行政复议 and 行政诉讼 over the groups, one row of 15 values
    (t4,) = doc.xpath('//table[@data-table="review_litigation"]')
    heads = {th.text_content(): th for th in t4.xpath(".//th")}
    assert heads["行政复议"].get("colspan") == "5" and heads["行政复议"].get("rowspan") == "2"
    assert heads["行政诉讼"].get("colspan") == "10"
    assert heads["未经复议直接起诉"].get("colspan") == "5"
    assert len(t4.xpath(".//tr[@data-row]/td")) == 15
    # table 二: its 第二十条 blocks
    (t2,) = doc.xpath('//table[@data-table="active"]')
    assert [th.text_content() for th in t2.xpath('.//th[@class="block"]')] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项"]


def test_blank_uncertain_and_corrected_cells_have_their_own_styles(registry, tmp_path):
    report = govconv.convert(mixed_text().encode(), name="mixed.txt", registry=registry)
    from govconv.rules.corrections import apply_corrections, parse_corrections, recheck

    fixes = parse_corrections(json.dumps({"corrections": [
        {"sha256": report.source.sha256, "address": "applications.disclosed.natural_person", "value": 0,
         "reason": "the row's total is 0"}]}), "fixes.json")
    layout = registry.layouts[report.layout]
    apply_corrections(report, fixes, layout.template)
    recheck(report, layout, registry.checks.values())
    doc = lhtml.fromstring(build_page(report, template=layout.template))
    blank = cell_el(doc, "applications.carried_over.natural_person")
    assert "blank" in classes(blank) and "（空 / empty）" not in blank.text_content()
    assert '-' in blank.xpath('string(.//code[@class="raw"])')
    for a in ("applications.new.natural_person", "applications.new.total"):
        assert "uncertain" in classes(cell_el(doc, a))
    corrected = cell_el(doc, "applications.disclosed.natural_person")
    # corrected, and named by the results sum the correction now breaks
    assert {"corrected", "finding"} <= classes(corrected)
    assert corrected.xpath('string(.//s[@class="read"])') == "1"
    assert corrected.xpath('string(.//span[@class="val"])') == "0"
    assert "the row's total is 0" in corrected.text_content()
    plain = cell_el(doc, "applications.withheld_inquiry.total")
    assert classes(plain) == {"v"}
    # the legend and counts name every style
    header = doc.xpath("//header")[0].text_content()
    for word in ("空白 / blank", "存疑 / uncertain", "已更正 / corrected", "被发现涉及 / named by"):
        assert word in header


def test_hostile_text_is_escaped(registry):
    report = govconv.convert(ROW_SUM, registry=registry)
    cell = report.cell("applications.new.total")
    cell.raw = '<script>alert(1)</script>\ud800\x01"'
    report.findings[0].message_en = "<img src=x onerror=alert(1)>"
    page = build_page(report)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    page.encode("utf-8")                                         # a lone surrogate cannot break the page


def test_a_pdf_cell_shows_the_crop_of_its_page(registry):
    path = realworld_file("huaian-city-2024.pdf")
    report = govconv.convert(path, registry=registry)
    page = build_page(report, path.read_bytes(), template=registry.layouts[report.layout].template)
    assert_self_contained(page)
    doc = lhtml.fromstring(page)
    with_box = [c for c in report.cells() if c.origin and c.origin.bbox]
    assert len(with_box) == 200
    for c in with_box:
        (img,) = cell_el(doc, c.address).xpath('.//img[@class="crop"]')
        assert img.get("src").startswith("data:image/png;base64,")
    # small enough to open anywhere
    assert len(page.encode()) < 1_500_000, len(page.encode())
    import base64
    import io

    from PIL import Image

    img = cell_el(doc, "applications.new.total").xpath('.//img[@class="crop"]')[0]
    picture = Image.open(io.BytesIO(base64.b64decode(img.get("src").split(",", 1)[1]))).convert("RGB")
    assert 60 < picture.width < 900 and 20 < picture.height < 400
    assert len(picture.getcolors(maxcolors=1 << 16)) > 2                     # text, lines and the red box


def test_a_pdf_that_changed_gives_no_crops(registry):
    path = realworld_file("huaian-city-2024.pdf")
    report = govconv.convert(path, registry=registry)
    page = build_page(report, path.read_bytes() + b"\n")
    assert "data:image/png" not in page and "another sha256" in page


# -- the command ---------------------------------------------------------------------------------

def test_review_command_writes_the_page(tmp_path, cli):
    out = tmp_path / "review.html"
    p = cli("review", ROW_SUM, "-o", out)
    assert p.code == 0, p.err
    page = out.read_text("utf-8")
    assert_self_contained(page)
    assert "applications.row_sum" in page and 'id="c-applications.disclosed.total"' in page


def test_review_command_applies_corrections(tmp_path, cli):
    report = govconv.convert(ROW_SUM)
    fixes = tmp_path / "fixes.json"
    fixes.write_text(json.dumps({"corrections": [
        {"sha256": report.source.sha256, "address": "applications.disclosed.natural_person", "value": 0,
         "reason": "row total 0"},
        {"sha256": report.source.sha256, "address": "applications.unavailable_not_held.natural_person",
         "value": 1, "reason": "row total 1"},
        {"sha256": "0" * 64, "address": "applications.new.total", "value": 1, "reason": "another report"}]}),
        "utf-8")
    out = tmp_path / "review.html"
    p = cli("review", ROW_SUM, "-o", out, "--corrections", fixes)
    assert p.code == 0
    assert "1 correction(s) match no input" in one_line_error(p)
    doc = lhtml.fromstring(out.read_text("utf-8"))
    assert not doc.xpath('//li[contains(@class, "finding-item")]')     # both findings are cleared
    assert "corrected" in classes(cell_el(doc, "applications.disclosed.natural_person"))
    assert "corrected" in classes(cell_el(doc, "applications.unavailable_not_held.natural_person"))


@pytest.mark.parametrize("args, code, says", [
    (["review", ROW_SUM], ExitCode.USAGE, "needs -o PATH"),
    (["review", "-o", "x.html"], ExitCode.USAGE, "give an INPUT"),
    (["review", ROW_SUM, "-o", "{tmp}/r.html", "--bogus"], ExitCode.USAGE, "bad command line"),
    (["review", ROW_SUM, "-o", "{tmp}/r.html", "--layout", "nope"], ExitCode.USAGE, "no layout named"),
    (["review", "{tmp}/missing.txt", "-o", "{tmp}/r.html"], ExitCode.INPUT_NOT_FOUND, "missing.txt"),
    (["review", "{tmp}/notes.txt", "-o", "{tmp}/r.html"], ExitCode.NOT_A_REPORT, "notes.txt"),
    (["review", ROW_SUM, "-o", "{tmp}"], ExitCode.OUTPUT, "directory"),
    (["review", ROW_SUM, "-o", ROW_SUM], ExitCode.OUTPUT, "one of the inputs"),
    (["review", ROW_SUM, "-o", "{tmp}/r.html", "--corrections", "{tmp}/bad.json"], ExitCode.USAGE,
     "not valid JSON"),
    (["review", ROW_SUM, "-o", "{tmp}/r.html", "--corrections", "{tmp}/cell.json"], ExitCode.USAGE,
     "has no such cell"),
])
def test_review_command_errors(tmp_path, args, code, says, cli):
    (tmp_path / "notes.txt").write_text("只是一段文字，没有表格。\n", "utf-8")
    (tmp_path / "bad.json").write_text("{", "utf-8")
    sha = govconv.convert(ROW_SUM).source.sha256
    (tmp_path / "cell.json").write_text(json.dumps({"corrections": [
        {"sha256": sha, "address": "active.licensing.issued", "value": 1, "reason": "r"}]}), "utf-8")
    before = ROW_SUM.read_bytes()
    p = cli(*[str(a).replace("{tmp}", str(tmp_path)) for a in args])
    assert p.code == code, p.err
    assert says in one_line_error(p)
    assert not (tmp_path / "r.html").exists()
    assert ROW_SUM.read_bytes() == before


# -- in a browser --------------------------------------------------------------------------------

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


def chromium() -> str:
    path = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
    if not path:
        if IN_CI:
            pytest.fail("chromium is missing: apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


def browse(page, tmp_path, *extra, window="1400,3000"):
    """Chromium, headless, on the page file: its output (stdout) and the screenshot's path."""
    shot = tmp_path / "shot.png"
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={window}",
           *extra, page.as_uri()]
    p = subprocess.run(cmd, capture_output=True, timeout=180, cwd=tmp_path)
    assert p.returncode == 0, p.stderr.decode(errors="replace")[-2000:]
    return p.stdout.decode("utf-8"), shot


def screenshot(page, tmp_path):
    from PIL import Image

    _out, shot = browse(page, tmp_path, f"--screenshot={tmp_path / 'shot.png'}")
    assert shot.exists() and shot.stat().st_size > 0
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 3000)
    lo, hi = image.convert("L").getextrema()
    assert lo < hi, "the screenshot is one colour"
    return image


def near(image, rgb, tol=4) -> int:
    """How many pixels are (about) this colour."""
    return sum(n for n, px in image.getcolors(maxcolors=1 << 24)
               if all(abs(a - b) <= tol for a, b in zip(px, rgb)))


def test_the_page_in_chromium_shows_every_highlight(tmp_path, registry, cli):
    source = tmp_path / "mixed.txt"
    source.write_text(mixed_text(), "utf-8")
    report = govconv.convert(source, registry=registry)
    fixes = tmp_path / "fixes.json"
    fixes.write_text(json.dumps({"corrections": [
        {"sha256": report.source.sha256, "address": "applications.disclosed.natural_person", "value": 0,
         "reason": "row total 0"}]}), "utf-8")
    page = tmp_path / "review.html"
    p = cli("review", source, "-o", page, "--corrections", fixes)
    assert p.code == 0, p.err

    image = screenshot(page, tmp_path)
    non_white = sum(n for n, px in image.getcolors(maxcolors=1 << 24) if min(px) < 235)
    assert non_white > 0.05 * 1400 * 3000, "the page is nearly empty"
    assert near(image, (0xfd, 0xe3, 0xdf)) > 500                 # cells named by findings
    assert near(image, (0xff, 0xf4, 0xc2)) > 500                 # uncertain cells
    assert near(image, (0xde, 0xf5, 0xe1)) > 200                 # the corrected cell
    assert near(image, (0xec, 0xef, 0xf3)) > 200                 # the blank cell

    dom, _shot = browse(page, tmp_path, "--dump-dom")
    doc = lhtml.fromstring(dom)
    rechecked = govconv.convert(source, registry=registry)
    from govconv.rules.corrections import apply_corrections, load_corrections, recheck

    apply_corrections(rechecked, load_corrections(fixes), registry.layouts[rechecked.layout].template)
    recheck(rechecked, registry.layouts[rechecked.layout], registry.checks.values())
    named = [a for f in rechecked.findings for a in f.cells]
    assert named
    for a in named:
        assert "finding" in classes(cell_el(doc, a)), a
    assert "blank" in classes(cell_el(doc, "applications.carried_over.natural_person"))
    assert "uncertain" in classes(cell_el(doc, "applications.new.total"))
    assert "corrected" in classes(cell_el(doc, "applications.disclosed.natural_person"))
    assert len(doc.xpath('//li[contains(@class, "finding-item")]')) == len(rechecked.findings)


def test_a_rule_fixture_in_chromium(tmp_path, cli):
    page = tmp_path / "review.html"
    p = cli("review", ROW_SUM, "-o", page)
    assert p.code == 0, p.err
    screenshot(page, tmp_path)
    dom, _shot = browse(page, tmp_path, "--dump-dom")
    doc = lhtml.fromstring(dom)
    report = govconv.convert(ROW_SUM)
    for i, f in enumerate(report.findings, 1):
        for a in f.cells:
            td = cell_el(doc, a)
            assert {"v", "finding", "sev-warning"} <= classes(td)
            assert td.xpath(f'.//a[@href="#f-{i}"]')
        assert doc.xpath(f'//li[@id="f-{i}"]//a[@href="#c-{f.cells[0]}"]')


def test_the_pdf_page_in_chromium(tmp_path, cli):
    page = tmp_path / "review.html"
    p = cli("review", realworld_file("huaian-city-2024.pdf"), "-o", page)
    assert p.code == 0, p.err
    screenshot(page, tmp_path)
    # the crop of a targeted cell is shown: the red box of the crop is on the screen
    from PIL import Image

    shot = tmp_path / "target.png"
    target = page.as_uri() + "#c-applications.new.total"
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1400",
           f"--screenshot={shot}", target]
    assert subprocess.run(cmd, capture_output=True, timeout=180, cwd=tmp_path).returncode == 0
    assert near(Image.open(shot).convert("RGB"), (220, 30, 30), tol=30) > 50
