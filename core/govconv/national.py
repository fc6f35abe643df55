"""The tables of the national templates, as the contract (docs/contract.md) fixes them.

These declarations are the contract's cell addresses and Chinese labels.  The
layout plugins ``gov2019`` and ``gov2021`` assemble templates from them; a
third party's provincial variant reuses them and changes what differs, e.g.::

    from dataclasses import replace
    from govconv.national import ACTIVE_2021
    MY_ACTIVE = replace(ACTIVE_2021, rows=ACTIVE_2021.rows + (Row("confirmation", "行政确认", ("decisions",)),))
"""
from __future__ import annotations

from govconv.model.template import FLAT, Balance, Column, ColumnSum, Row, RowSum, Rule, TableSpec, TextClaim
from govconv.model.values import AMOUNT, SIGNED

# -- 二、主动公开政府信息情况 --------------------------------------------------------
_ACTIVE_ANCHORS = ("信息内容", "第二十条第（一）项", "规章", "行政许可")
_MADE = ("made", "published", "total")
_SERVICE = ("previous", "change", "decisions")

ACTIVE_2019 = TableSpec(
    key="active", label="主动公开政府信息情况",
    columns=(
        Column("made", "本年新制作数量"), Column("published", "本年新公开数量"),
        Column("total", "对外公开总数量"),
        Column("previous", "上一年项目数量"), Column("change", "本年增/减", ("本年增减",), kind=SIGNED),
        Column("decisions", "处理决定数量"),
        Column("items", "采购项目数量"), Column("amount", "采购总金额", kind=AMOUNT, unit="元"),
    ),
    rows=(
        Row("regulations", "规章", _MADE),
        Row("normative_documents", "规范性文件", _MADE, ("行政规范性文件",)),
        Row("licensing", "行政许可", _SERVICE),
        Row("other_services", "其他对外管理服务事项", _SERVICE),
        Row("penalty", "行政处罚", _SERVICE),
        Row("coercion", "行政强制", _SERVICE),
        Row("fees", "行政事业性收费", ("previous", "change")),
        Row("procurement", "政府集中采购", ("items", "amount")),
    ),
    anchors=_ACTIVE_ANCHORS + ("政府集中采购",),
)

_DOCUMENTS = ("issued", "repealed", "in_force")

ACTIVE_2021 = TableSpec(
    key="active", label="主动公开政府信息情况",
    columns=(
        Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"), Column("in_force", "现行有效件数"),
        Column("decisions", "本年处理决定数量"),
        Column("amount", "本年收费金额（单位：万元）", ("本年收费金额",), kind=AMOUNT, unit="万元"),
    ),
    rows=(
        Row("regulations", "规章", _DOCUMENTS),
        Row("normative_documents", "行政规范性文件", _DOCUMENTS, ("规范性文件",)),
        Row("licensing", "行政许可", ("decisions",)),
        Row("penalty", "行政处罚", ("decisions",)),
        Row("coercion", "行政强制", ("decisions",)),
        Row("fees", "行政事业性收费", ("amount",)),
    ),
    anchors=_ACTIVE_ANCHORS + ("本年制发件数",),
)

# -- 三、收到和处理政府信息公开申请情况 ------------------------------------------------
APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)

#: rows 一 … （五）5, the same in both templates
APPLICATION_ROWS_HEAD = (
    Row("new", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("disclosed", "（一）予以公开"),
    Row("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", aliases=("（二）部分公开",)),
    Row("withheld_state_secret", "1.属于国家秘密"),
    Row("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    Row("withheld_security_stability", "3.危及“三安全一稳定”"),
    Row("withheld_third_party", "4.保护第三方合法权益"),
    Row("withheld_internal_affairs", "5.属于三类内部事务信息"),
    Row("withheld_process_info", "6.属于四类过程性信息"),
    Row("withheld_enforcement_files", "7.属于行政执法案卷"),
    Row("withheld_inquiry", "8.属于行政查询事项"),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息"),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确"),
    Row("not_processed_petition", "1.信访举报投诉类申请"),
    Row("not_processed_repeated", "2.重复申请"),
    Row("not_processed_publication", "3.要求提供公开出版物"),
    Row("not_processed_excessive", "4.无正当理由大量反复申请"),
    Row("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
)

#: rows （七） and 四, the same in both templates
APPLICATION_ROWS_TAIL = (
    Row("total", "（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理"),
)

OTHER_2019 = (Row("other", "（六）其他处理"),)

OTHER_2021 = (
    Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    Row("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    Row("other_misc", "3.其他", legacy=("（六）其他处理",),
        legacy_covers=("other_no_correction", "other_unpaid_fee")),
)


def applications_table(other_rows: tuple[Row, ...]) -> TableSpec:
    """Table 三 with the given （六）其他处理 rows."""
    return TableSpec(
        key="applications", label="收到和处理政府信息公开申请情况",
        columns=APPLICANT_COLUMNS,
        rows=APPLICATION_ROWS_HEAD + other_rows + APPLICATION_ROWS_TAIL,
        anchors=("本年新收政府信息公开申请数量", "申请人情况", "予以公开", "结转下年度继续办理"),
    )


APPLICATIONS_2019 = applications_table(OTHER_2019)
APPLICATIONS_2021 = applications_table(OTHER_2021)

# -- 四、政府信息公开行政复议、行政诉讼情况 ---------------------------------------------
REVIEW_LITIGATION = TableSpec(
    key="review_litigation", label="政府信息公开行政复议、行政诉讼情况",
    columns=(Column("upheld", "结果维持"), Column("corrected", "结果纠正"), Column("other", "其他结果"),
             Column("pending", "尚未审结"), Column("total", "总计")),
    rows=(
        Row("review", "行政复议"),
        Row("litigation_direct", "行政诉讼·未经复议直接起诉", aliases=("未经复议直接起诉",)),
        Row("litigation_after_review", "行政诉讼·复议后起诉", aliases=("复议后起诉",)),
    ),
    anchors=("行政复议", "行政诉讼", "结果维持", "复议后起诉"),
    shape=FLAT,
)


# -- the consistency rules (勾稽关系) of the national tables, as declarations ------------------

APPLICANTS = tuple(c.key for c in APPLICANT_COLUMNS if c.key != "total")


def applications_rules(table: TableSpec) -> tuple[Rule, ...]:
    """Table 三's rules: the balance printed in the table itself, row sums, and the results sum."""
    keys = [r.key for r in table.rows]
    results = tuple(keys[keys.index("disclosed"):keys.index("total")])
    return (
        # 第一项加第二项之和，等于第三项加第四项之和
        Balance("applications.balance", "applications", ("new", "carried_over"), ("total", "carried_forward")),
        RowSum("applications.row_sum", "applications", APPLICANTS, "total"),
        ColumnSum("applications.results_sum", "applications", results, "total"),
    )


REVIEW_LITIGATION_RULES: tuple[Rule, ...] = (
    RowSum("review_litigation.row_sum", "review_litigation", ("upheld", "corrected", "other", "pending"), "total"),
)


# -- what the narrative states about the tables (text.table_mismatch), as declarations -----------
# The table of patterns, with an example sentence each, and what is deliberately not read, is
# in docs/model.md ("Text against table").  Every claim shares the subject and the cues below.

#: an enumeration at the start of a clause: （一） 1、 一是
_ENUM = r"(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．]|[一二三四五六七八九十]是)"
#: the report year, said so: 2021年, 全年, 本年度, 1月至12月 … (全年累计: the year's total)
_TIME = (r"(?:20\d{2}年度?|全年度?|本年度?|年度内|年内|今年|当年|本报告期内|报告期内|"
         r"(?:20\d{2}年)?1月(?:1日)?(?:至|到|[-~～—－])(?:20\d{2}年)?12月(?:31日)?)(?:内|中|里)?(?:累计)?")
#: the agency speaking of itself
_SELF = (r"(?:我|本)(?:机关|单位|部门|局|委|办|厅|署|院|中心|街道办事处|街道|镇人民政府|乡人民政府|镇政府|乡政府|"
         r"镇|乡|管委会|管理委员会|办公室|办公厅|所|站|处|队)")
_ADVERB = r"(?:共计|一共|总共|合计|总计|共|依法|已经|已|先后|均|还)"
#: what may stand in the clause before the quantity's words: who (the agency) and when (the year)
CLAIM_SUBJECT = rf"{_ENUM}?(?:{_TIME}|{_SELF}|{{agency}}|{_ADVERB})*"
_KINDS = r"(?:办公室|办公厅|局|委员会|委|中心|办|科|股|站|所|队|公司|部门|单位|街道|镇|乡|村|社区|人民政府|政府)"
_PREDICATE = (r"(?:以|在|认真|坚持|按照|根据|严格|深入|进一步|全面|持续|围绕|积极|切实|不断|扎实|共|把|将|加强|"
              r"始终|继续|聚焦|主动|着力|结合|依托|通过|贯彻|落实|全力|大力|强化|推进|深化|做好|受理|收到|办理|"
              r"答复|接收|制发|印发|出台|发生|涉及|被)")
#: cues in the sentence before the number: it is not about the whole agency and the report year
CLAIM_CUES = (
    # a part of the agency, or several bodies
    (r"其中|分别|另有|下属|所属|直属|派出|二级单位|科室|处室|股室|本级|"
     r"各(?:科室|部门|单位|处室|股室|镇|乡|街道|村|社区|县|区|市|地|级|机关)"),
    # a territory, whose figures may gather many bodies: 全市, 我区
    r"全(?:省|市|区|县|州|旗|盟|镇|乡|街道|系统|辖区)|(?:我|本)(?:省|市|区|县|州|旗|盟)(?!人民政府|政府)",
    # another body as the subject of an earlier clause ("区政务公开办认真…，共受理…")
    # (the lookahead takes the enumeration and the times atomically, so the name cannot start inside them)
    rf"^(?=(?P<t>{_ENUM}?(?:{_TIME})*))(?P=t)(?!{_SELF}|{{agency}})[\u4e00-\u9fff]{{1,20}}?{_KINDS}(?={_PREDICATE})",
    # another time: a stock before the year, since a date, now
    r"上年|上一年|去年|前年|往年|历年|以往|此前|之前|以前|原有|以来|目前|至今|迄今|当前|现有|发稿|截止目前",
    # the future, a plan
    r"计划|预计|拟|力争|争取|目标|将要|预期|下一步|明年|下年|今后",
    # a comparison or a rate
    r"同比|环比|相比|较上年|比上年|平均|日均|月均|每月|每周|每季度|每年",
)


def claim(key: str, label: str, label_en: str, lead: str, addresses: tuple[str, ...], *,
          units: tuple[str, ...] = ("件",), **kw) -> TextClaim:
    """A national claim: ``text.table_mismatch`` with the shared subject and cues."""
    return TextClaim("text.table_mismatch", key, label, label_en, lead, addresses, units,
                     subject=CLAIM_SUBJECT, exclude=CLAIM_CUES + kw.pop("exclude", ()), **kw)


#: the words of an application for information
_APPLICATION = (r"(?:各类|各项)?(?:(?:(?:政府|政务)?信息|政务)公开申请(?:事项)?|"
                r"依申请公开(?:政府信息)?(?:申请)?(?:事项)?|"
                r"申请公开(?:政府信息)?(?:事项)?)")
#: right after the number: the count includes the carried-over applications (含上年结转…, 其中本年新收…)
_WITH_CARRIED = (r"^[（(，,]?(?:其中|含|包括|包含)(?:了)?[^。；;，,）)]{0,16}?结转"
                 r"|^[（(，,]?其中(?:本年度?|今年|当年)?新收")
_NEW, _CARRIED = "applications.new.total", "applications.carried_over.total"
_INFO_CASE = (r"(?:因)?(?:政府信息公开|政务信息公开|信息公开|政务公开|依申请公开)"
              r"(?:申请|工作|事项|答复)?(?:类|方面|相关)?的?")
_CASE_VERB = r"(?:被申请|被提起|被起诉|引发|引起|涉及|产生|发生|提起|申请)?的?"
_CASES = ("件", "起", "宗", "例", "个")

CLAIMS_APPLICATIONS = (
    claim("applications.received_with_carried", "受理的政府信息公开申请（含上年结转）",
          "the applications received, carried-over ones included",
          rf"(?:受理|收到|接收|接到)(?:了)?{_APPLICATION}", (_NEW, _CARRIED), after=_WITH_CARRIED),
    claim("applications.new", "本年新收政府信息公开申请", "the applications newly received this year",
          rf"(?:本年度?|今年|当年)?(?:新收|新增)(?:到)?(?:了)?{_APPLICATION}", (_NEW,), not_after=_WITH_CARRIED),
    claim("applications.received", "受理的政府信息公开申请", "the applications received",
          rf"(?:受理|收到|接收|接到)(?:了)?{_APPLICATION}", (_NEW,), not_after=_WITH_CARRIED,
          also=((_NEW, _CARRIED),)),
)

CLAIMS_REVIEW_LITIGATION = (
    claim("review_litigation.review", "政府信息公开行政复议案件", "the administrative reviews on disclosure",
          rf"{_INFO_CASE}{_CASE_VERB}行政复议(?:申请|案件|案)?", ("review_litigation.review.total",), units=_CASES),
    claim("review_litigation.litigation", "政府信息公开行政诉讼案件", "the lawsuits on disclosure",
          rf"{_INFO_CASE}{_CASE_VERB}行政诉讼(?:案件|案)?",
          ("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total"),
          units=_CASES),
)

_NORMATIVE = r"(?:行政)?规范性文件"
_REGULATION = r"(?:政府)?规章"
_DOC_UNITS = ("件", "份")

CLAIMS_ACTIVE_2021 = (
    claim("active.normative_documents.in_force", "现行有效行政规范性文件", "the normative documents in force",
          rf"现行有效(?:的)?{_NORMATIVE}", ("active.normative_documents.in_force",), units=_DOC_UNITS),
    claim("active.regulations.in_force", "现行有效规章", "the regulations in force",
          rf"现行有效(?:的)?{_REGULATION}", ("active.regulations.in_force",), units=_DOC_UNITS),
    claim("active.normative_documents.issued", "本年制发行政规范性文件", "the normative documents issued",
          rf"(?:新)?(?:制发|印发|出台|制定)(?:了)?{_NORMATIVE}", ("active.normative_documents.issued",),
          units=_DOC_UNITS),
    claim("active.regulations.issued", "本年制发规章", "the regulations issued",
          rf"(?:新)?(?:制发|印发|出台|制定)(?:了)?{_REGULATION}", ("active.regulations.issued",), units=_DOC_UNITS),
    claim("active.normative_documents.repealed", "本年废止行政规范性文件", "the normative documents repealed",
          rf"废止(?:了)?{_NORMATIVE}", ("active.normative_documents.repealed",), units=_DOC_UNITS),
    claim("active.regulations.repealed", "本年废止规章", "the regulations repealed",
          rf"废止(?:了)?{_REGULATION}", ("active.regulations.repealed",), units=_DOC_UNITS),
)

CLAIMS_ACTIVE_2019 = (
    claim("active.normative_documents.made", "本年新制作规范性文件", "the normative documents made",
          rf"(?:新)?(?:制作|制发|印发|出台|制定)(?:了)?{_NORMATIVE}", ("active.normative_documents.made",),
          units=_DOC_UNITS),
    claim("active.regulations.made", "本年新制作规章", "the regulations made",
          rf"(?:新)?(?:制作|制发|印发|出台|制定)(?:了)?{_REGULATION}", ("active.regulations.made",),
          units=_DOC_UNITS),
)

CLAIMS_2019 = CLAIMS_APPLICATIONS + CLAIMS_REVIEW_LITIGATION + CLAIMS_ACTIVE_2019
CLAIMS_2021 = CLAIMS_APPLICATIONS + CLAIMS_REVIEW_LITIGATION + CLAIMS_ACTIVE_2021

#: the tables' rules and the narrative's claims (a Template sorts the claims into ``claims``)
RULES_2019 = applications_rules(APPLICATIONS_2019) + REVIEW_LITIGATION_RULES + CLAIMS_2019
RULES_2021 = applications_rules(APPLICATIONS_2021) + REVIEW_LITIGATION_RULES + CLAIMS_2021
