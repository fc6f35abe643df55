"""Text against table (``text.table_mismatch``): the narrative's numbers checked against the cells.

A finding accuses a government body, so most of this file is about what must
*not* raise: every fixture of the repository (none of them contradicts itself),
and sentences built from a real seed that speak of a part of the agency, a
stock before the year, another measure, another year, an approximation.  The
planted mismatches are the same sentences with the number changed.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import govconv
from conftest import FIXTURES, SEEDS, realworld_file, validate_report_json
from govconv.model.template import Template, TextClaim
from govconv.national import CLAIMS_2019, CLAIMS_2021, CLAIM_SUBJECT, CLAIM_CUES
from govconv.rules.text_claims import evaluate_claims, normalise, read_claims, sentences

RULE = "text.table_mismatch"
SEED_2021 = SEEDS / "002_4a81d0f783bbd2ce.txt"      # 富阳区鹿山街道 2021: new 3, carried 0, every other count 0
#: the sentence of seed 002 that the variants below replace (it is not a claim: 会商机制 is a part of the work)
ANCHOR = "今年以来，我街道已通过会商机制办理信息公开申请3件，已依法及时予以答复。"


def mismatches(report) -> list:
    return [f for f in report.findings if f.rule == RULE]


def with_sentence(sentence: str, seed: Path = SEED_2021, anchor: str = ANCHOR):
    text = seed.read_text("utf-8")
    assert anchor in text
    return govconv.convert(text.replace(anchor, sentence).encode("utf-8"), name="variant.txt")


def template_of(registry, report) -> Template:
    return registry.layouts[report.layout].template


# == 1. no fixture of the repository raises it (unless planted) ===========================================

def _fixture_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    files += sorted((FIXTURES / "docx").glob("*.docx"))
    files += sorted((FIXTURES / "pdf").glob("*.pdf"))
    files += sorted((FIXTURES / "html").glob("*.*"))
    files += sorted((FIXTURES / "sweep" / "base").glob("*.txt")) + sorted((FIXTURES / "sweep" / "base").glob("*.docx"))
    files += [realworld_file("huaian-city-2024.pdf")]
    files += [p for p in sorted((FIXTURES / "rules").glob("*.txt")) if not p.name.startswith(RULE)]
    return [p for p in files if p.name != "features.docx"]


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_fixture_raises_a_mismatch(path):
    report = govconv.convert(path)
    assert mismatches(report) == [], [f.message for f in mismatches(report)]


@pytest.mark.skipif(not shutil.which("soffice"), reason="the .doc loader needs LibreOffice")
def test_no_doc_fixture_raises_a_mismatch():
    for path in sorted((FIXTURES / "doc").glob("*.doc")):
        assert mismatches(govconv.convert(path)) == [], path.name


# == 2. what is read in real text, and agrees ===========================================================

def test_the_real_pdf_states_its_review_and_litigation_counts(registry):
    """淮安市 2024: "政府信息公开行政复议 351件" and "政府信息公开行政诉讼 46 件" (26 direct + 20 after
    review) are read and agree; "全市共受理…3119件" is the city's territory and is not read, nor are
    "政策性文件 11 件" (not 规范性文件) and "信息处理费 3940 元" (no table holds it)."""
    report = govconv.convert(realworld_file("huaian-city-2024.pdf"))
    got = [(r.claim.key, r.stated, r.table, r.agrees) for r in read_claims(template_of(registry, report), report)]
    assert got == [("review_litigation.review", 351, 351, True), ("review_litigation.litigation", 46, 46, True)]
    assert mismatches(report) == []


def test_the_real_pdf_raises_when_its_table_says_otherwise(registry):
    report = govconv.convert(realworld_file("huaian-city-2024.pdf"))
    report.cell("review_litigation.review.total").value = 350
    report.cell("applications.new.total").value = 3000        # 全市: not a claim about this table
    (f,) = evaluate_claims(template_of(registry, report), report)
    assert f.rule == RULE and f.severity == "warning" and f.cells == ["review_litigation.review.total"]
    assert f.values == {"sentence": "政府信息公开行政复议 351件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件；",
                        "stated": 351, "table": 350, "address": "review_litigation.review.total"}
    assert "351件" in f.message_zh and "350" in f.message_zh and "review_litigation.review.total" in f.message_en


@pytest.mark.parametrize("seed, key", [("001_fb2a13aa5693ffc1", "applications.received"),
                                       ("004_47b4ce0c4832982f", "applications.received")])
def test_the_seeds_state_their_applications(registry, seed, key):
    report = govconv.convert(SEEDS / f"{seed}.txt")
    readings = read_claims(template_of(registry, report), report)
    assert [(r.claim.key, r.agrees) for r in readings] == [(key, True)]


def test_a_claim_on_a_null_or_uncertain_cell_is_skipped(registry):
    report = with_sentence("全年共受理政府信息公开申请5件。")
    assert len(mismatches(report)) == 1
    template = template_of(registry, report)
    report.cell("applications.new.total").uncertain = True
    assert evaluate_claims(template, report) == []
    assert [r.agrees for r in read_claims(template, report)] == [None]
    report.cell("applications.new.total").uncertain = False
    report.cell("applications.new.total").value = None
    assert evaluate_claims(template, report) == []


def test_received_may_count_the_carried_over_applications(registry):
    """受理 5 with 3 new and 2 carried over: the words can mean either, so no accusation."""
    report = with_sentence("全年共受理政府信息公开申请5件。")
    report.cell("applications.carried_over.total").value = 2
    assert evaluate_claims(template_of(registry, report), report) == []
    # 新收 means the new ones only
    report = with_sentence("本年度新收政府信息公开申请5件。")
    report.cell("applications.carried_over.total").value = 2
    assert len(evaluate_claims(template_of(registry, report), report)) == 1


# == 3. planted mismatches: each is found, with the cells it names ===========================================

PLANTED = [
    ("全年共受理政府信息公开申请95件。", 95, 3, ["applications.new.total"]),
    ("2021年，我街道收到政府信息公开申请5件。", 5, 3, ["applications.new.total"]),
    ("本年度新收政府信息公开申请5件。", 5, 3, ["applications.new.total"]),
    ("鹿山街道共受理依申请公开5件。", 5, 3, ["applications.new.total"]),
    ("2021年，富阳区鹿山街道共受理政府信息公开申请5件。", 5, 3, ["applications.new.total"]),
    ("2021年1月至12月，鹿山街道办事处共受理政府信息公开申请5件。", 5, 3, ["applications.new.total"]),
    ("（二）依申请公开：全年受理信息公开申请５件。", 5, 3, ["applications.new.total"]),
    ("一是全年共受理政府信息公开申请4件，均已按时答复。", 4, 3, ["applications.new.total"]),
    ("全年共受理政府信息公开申请3,119件。", 3119, 3, ["applications.new.total"]),
    ("共受理政府信息公开申请5件（含上年结转2件）。", 5, 3,
     ["applications.new.total", "applications.carried_over.total"]),
    ("全年共收到政府信息公开申请5件，其中本年新收3件。", 5, 3,
     ["applications.new.total", "applications.carried_over.total"]),
    ("现行有效规范性文件393件。", 393, 0, ["active.normative_documents.in_force"]),
    ("截至2021年12月31日，现行有效行政规范性文件12件。", 12, 0, ["active.normative_documents.in_force"]),
    ("全年制发行政规范性文件2件。", 2, 0, ["active.normative_documents.issued"]),
    ("全年废止规范性文件1件。", 1, 0, ["active.normative_documents.repealed"]),
    ("现行有效规章4件。", 4, 0, ["active.regulations.in_force"]),
    ("因政府信息公开被申请行政复议7件。", 7, 0, ["review_litigation.review.total"]),
    ("政府信息公开行政复议7件。", 7, 0, ["review_litigation.review.total"]),
    ("政府信息公开行政诉讼2起。", 2, 0,
     ["review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total"]),
]


@pytest.mark.parametrize("sentence, stated, table, cells", PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_mismatch_is_found(sentence, stated, table, cells):
    report = with_sentence(sentence)
    found = mismatches(report)
    assert [(f.cells, f.values["stated"], f.values["table"]) for f in found] == [(cells, stated, table)]
    f = found[0]
    assert f.values["sentence"] == sentence and f.values["address"] == " + ".join(cells)
    assert f.severity == "warning" and f.message_zh and f.message_en
    validate_report_json(report.to_dict())


def test_two_claims_in_one_sentence():
    report = with_sentence("全年制发行政规范性文件2件，废止规范性文件1件。")
    assert [f.cells for f in mismatches(report)] == [["active.normative_documents.issued"],
                                                     ["active.normative_documents.repealed"]]


def test_the_same_statement_twice_is_one_finding():
    report = with_sentence("全年共受理政府信息公开申请5件。\n全年共受理政府信息公开申请5件。")
    assert len(mismatches(report)) == 1


def test_a_gov2019_report_states_its_documents_made():
    seed = SEEDS / "004_47b4ce0c4832982f.txt"
    anchor = "我镇2020年未发布政策性文件"
    report = with_sentence("我镇2020年出台规范性文件2件", seed, anchor)
    assert [(f.cells, f.values["stated"]) for f in mismatches(report)] == [(["active.normative_documents.made"], 2)]
    # 现行有效 is not a gov2019 quantity (对外公开总数量 counts what was ever made public)
    assert mismatches(with_sentence("我镇现行有效规范性文件2件", seed, anchor)) == []


# == 4. precision: what must not raise ======================================================================

TRAPS = {
    # a part of the agency, or several bodies
    "part: 其中": "其中，党政办受理政府信息公开申请5件。",
    "part: an office": "街道综合信息指挥室受理政府信息公开申请5件。",
    "part: subordinate": "下属社区共受理政府信息公开申请5件。",
    "part: each community": "各社区受理信息公开申请5件。",
    "part: after the total": "全年共受理政府信息公开申请3件，其中自然人提出申请2件。",
    "part: another body speaks": "区政务公开办认真做好依申请公开工作，全年共受理政府信息公开申请5件。",
    "part: an abbreviation": "2021年，区政府办公室共受理政府信息公开申请5件。",
    "part: the agency's level": "街道本级受理政府信息公开申请5件。",
    # a stock before the year's additions, since a date, now
    "stock: end of last year": "截至上年底，现行有效规范性文件12件。",
    "stock: before": "此前已制发规范性文件12件。",
    "stock: now": "截至目前，现行有效规范性文件12件。",
    "stock: cumulative since": "自2008年以来累计受理政府信息公开申请120件。",
    "stock: cumulative": "累计受理政府信息公开申请120件。",
    # another year
    "year: 2020": "2020年，我街道共受理政府信息公开申请7件。",
    "year: last year": "上年共受理政府信息公开申请7件。",
    "year: compared": "与2020年相比，受理政府信息公开申请5件。",
    "year: the next": "2022年1月，我街道受理政府信息公开申请5件。",
    # another measure
    "measure: 条 of information": "主动公开政府信息306条。",
    "measure: 条": "全年受理政府信息公开申请5条。",
    "measure: 条 of documents": "现行有效规范性文件12条。",
    "measure: 人次": "全年受理政府信息公开申请5人次。",
    "measure: 件次": "全年受理政府信息公开申请5件次。",
    "measure: days": "受理政府信息公开申请后5个工作日内答复。",
    "measure: 政策性文件": "出台政策性文件11件。",
    "measure: published, not issued": "公开规范性文件12件。",
    "measure: review as the reviewing body": "受理行政复议申请12件。",
    "measure: review cases handled": "办理行政复议案件5件。",
    "measure: review corrected": "行政复议纠错5件。",
    "measure: both at once": "政府信息公开行政复议、行政诉讼2件。",
    "measure: a rate": "受理政府信息公开申请同比增长50%。",
    "measure: an average": "平均每月受理政府信息公开申请5件。",
    "measure: handled, not received": "受理政府信息公开申请3件，办结5件。",
    # approximations and ranges
    "about: 约": "全年共受理政府信息公开申请约5件。",
    "about: 余": "全年共受理政府信息公开申请5余件。",
    "about: 多": "全年共受理政府信息公开申请5多件。",
    "about: 左右": "全年共受理政府信息公开申请5件左右。",
    "about: 近": "全年共受理政府信息公开申请近5件。",
    "about: 以上": "全年共受理政府信息公开申请5件以上。",
    "range: -": "全年共受理政府信息公开申请5-6件。",
    "range: 至": "全年共受理政府信息公开申请5至6件。",
    "not a count": "全年受理政府信息公开申请1.5件。",
    "in words": "全年受理政府信息公开申请五件。",
    # a territory, whose figures gather many bodies
    "territory: 全区": "全区共受理政府信息公开申请1234件。",
    "territory: 我区": "我区受理政府信息公开申请1234件。",
    "territory: 各单位": "2021年，全区各单位共受理政府信息公开申请1234件。",
    # the future
    "plan": "计划制发规范性文件5件。",
    "plan: next step": "下一步将制发规范性文件5件。",
    # agreeing
    "agrees": "全年共受理政府信息公开申请3件。",
    "agrees, carried over included": "共受理政府信息公开申请3件（含上年结转0件）。",
}


@pytest.mark.parametrize("sentence", list(TRAPS.values()), ids=list(TRAPS))
def test_a_trap_raises_nothing(sentence):
    report = with_sentence(sentence)
    assert mismatches(report) == [], [f.message for f in mismatches(report)]


def test_the_seed_sentence_itself_is_no_claim(registry):
    """"今年以来，我街道已通过会商机制办理信息公开申请3件": applications handled through one mechanism."""
    report = govconv.convert(SEED_2021)
    assert read_claims(template_of(registry, report), report) == []


# == 5. the declarations and the matcher =================================================================

def test_the_national_templates_declare_their_claims(registry):
    for layout, claims in (("gov2019", CLAIMS_2019), ("gov2021", CLAIMS_2021)):
        template = registry.layouts[layout].template
        assert template.claims == claims
        assert not [r for r in template.rules if isinstance(r, TextClaim)]
        addresses = {f"{t.key}.{r.key}.{c.key}" for t in template.tables for r in t.rows for c in t.row_columns(r)}
        for c in claims:
            assert c.rule == RULE and set(c.addresses) <= addresses, c.key
            assert all(set(alt) <= addresses for alt in c.also), c.key


def test_a_plugin_template_declares_its_own_claim(registry):
    """The matcher is generic: a layout that states 行政许可 decisions in words gets them checked."""
    base = registry.layouts["gov2021"].template
    licensing = TextClaim(RULE, "active.licensing.decisions", "行政许可处理决定数量", "the licensing decisions",
                          r"作出行政许可决定", ("active.licensing.decisions",), subject=CLAIM_SUBJECT,
                          exclude=CLAIM_CUES)
    template = Template("demo", "demo", base.tables, base.markers, base.years, claims=(licensing,))
    report = with_sentence("全年共作出行政许可决定12件。")
    assert mismatches(report) == []                          # the national templates do not read it
    (f,) = evaluate_claims(template, report)
    assert f.cells == ["active.licensing.decisions"] and f.values["stated"] == 12


def test_sentences_join_wrapped_lines_and_split_at_headings():
    text = "1、主动公开情况\n2020年，我街道以拱墅区政府门户网站为平台，主动公开政\n府信息16条、动态23条。\n2、依申请公开"
    assert list(sentences(text)) == ["1、主动公开情况", "2020年，我街道以拱墅区政府门户网站为平台，主动公开政府信息16条、动态23条。",
                                     "2、依申请公开"]
    assert list(sentences("受理申请5件；答复5件。其他")) == ["受理申请5件；", "答复5件。", "其他"]


def test_normalise_keeps_numbers_apart():
    assert normalise("受理 ９５ 件") == "受理95件"
    assert normalise("答复 30 50 件") == "答复30|50件"           # two numbers never become one
    assert normalise("申请3，119件") == "申请3，119件"          # the Chinese comma is no thousands separator


def test_hostile_text_reads_in_linear_time(registry):
    import time
    report = govconv.convert(SEED_2021)
    template = template_of(registry, report)
    report.sections[0].text = ("全年受理政府信息公开申请" + "共计" * 3000 + "x。") * 20 + "我街道" * 20000 + "，" * 5000
    start = time.perf_counter()
    assert evaluate_claims(template, report) == []
    assert time.perf_counter() - start < 5
