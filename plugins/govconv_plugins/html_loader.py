"""Loader ``html``: reports published as web pages (.html, .htm, .xhtml) and single-file
web archives (.mht, .mhtml).

Input is a whole page as a browser or a crawler saved it, a CMS article, Word's
"Save as Web Page" (mso styles, conditional comments), LibreOffice's HTML
export, or a MIME multipart web archive (the first ``text/html`` part, or the
one the ``start`` parameter names; quoted-printable and base64 are decoded by
the standard ``email`` package).  Nothing is ever fetched: not the scripts,
images, styles, frames or DTDs a page names, not its ``<base>``, nor the target
of a ``<meta http-equiv="refresh">``.

Decoding.  A BOM is believed first; then bytes that are valid UTF-8 are UTF-8
(whatever a mislabelled page declares); then the charset the archive part
declares, then ``<meta charset>`` / ``http-equiv`` / the XML declaration, then
chardet's guess (GB2312 and GBK are read as GB18030, their superset).  When no
candidate reads cleanly, the fewest bad bytes win, they become U+FFFD and the
document gets the finding ``text.decoding``.

Reading.  The text is what a browser shows: scripts, styles, form controls,
``hidden`` and ``display:none`` / ``mso-hide:all`` elements are not text;
white space collapses (a source line break between two Chinese characters is
no space at all — except in LibreOffice's pages, which it wraps only at white
space); ``&nbsp;`` is a space that never collapses; block elements
(``p``, ``div``, ``li``, headings, …) and ``<br>`` break lines; each line is
one :class:`~govconv.Paragraph`.  A table is either

* a *data table* → :class:`~govconv.Table` on the true grid: ``rowspan`` and
  ``colspan`` are resolved by the HTML table model (rows of ``thead`` first,
  ``tfoot`` last; a ``rowspan`` ends with its row group; ``rowspan="0"`` runs
  to the end of it), so a region covered from above is a placeholder in
  :meth:`~govconv.Table.row_view` exactly as a docx ``vMerge`` is.  Cell text
  is the cell's lines (``<p>``, ``<div>``, ``<br>``) joined with ``\\n``, each
  stripped (``&nbsp;`` padding included), empty ones dropped; ``<th>`` and
  ``<td>`` are alike; borders (``border="0"``) do not matter, except that a
  position where the row has no cell (docx ``gridBefore``/``gridAfter``) is
  one Word writes as a ``mso-cell-special:placeholder`` cell and LibreOffice
  as an empty ``border: none`` cell among drawn ones: no cell there; or
* a *layout table* — one whose cells hold tables, or that has a single cell,
  or a cell holding page-sized text: its cells are read as blocks, in order.

The article.  Only the report reaches the Document, not the page around it.
Each block weighs its characters outside links (a block that is mostly link
text — menus, breadcrumbs, share buttons — weighs nothing).  The article is the
deepest element holding three quarters of the page's weight, widened to the
parts of their common element that hold every *table of figures* (a table with
numbers in several cells and labels in others), and to parts beside it that
hold long paragraphs (at least 15 % of its weight) — never to a whole parent
with its headline, menus and footer.  The page's
``<title>``, its headline and its "发布时间：… 来源：…" line are page facts, not
the report's: they go to :attr:`Document.properties` (``page_title``,
``headline``, ``published``, ``published_by``), never to the blocks, so the
report's own title, agency and year are read from the report.

Limits.  A page (the HTML itself, or an archive's HTML part) of more than
:data:`MAX_HTML_BYTES` (20 MB) is refused (:class:`InputTooLarge`), an archive
of more than :data:`MAX_ARCHIVE_BYTES`; a DOCTYPE with an internal subset or an
``<!ENTITY>`` declaration is refused (entity expansion), as is a page whose
elements nest deeper than the parser's limit (255) or a table of more than
:data:`MAX_TABLE_POSITIONS` grid positions.  The tree is walked without
recursion, with a time checkpoint every few hundred elements.
"""
from __future__ import annotations

import codecs
import re
from typing import Any

from govconv import Cell, Document, Loader, Origin, Paragraph, Table, checkpoint, hookimpl
from govconv.errors import CorruptInput, InputTooLarge
from govconv.reading.patterns import lazy

#: the largest page read: the HTML of a .html file or of an archive's HTML part (bytes)
MAX_HTML_BYTES = 20 * 1024 * 1024
#: the largest .mht/.mhtml archive read (images and styles ride along in it)
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
#: archive parts looked at, and how deep multiparts may nest
MAX_PARTS = 10_000
MAX_PART_DEPTH = 8
#: grid positions (rows x columns, spans included) one table may cover
MAX_TABLE_POSITIONS = 1_000_000
MAX_COLSPAN = 1000          # the HTML standard's own limits
MAX_ROWSPAN = 65534

HTML_EXTENSIONS = ("html", "htm", "xhtml", "xht", "shtml")
ARCHIVE_EXTENSIONS = ("mht", "mhtml")
#: the article holds this share of the page's weight (text outside links)
ARTICLE_SHARE = 0.75
#: a part of the text beside the article joins it when its long paragraphs weigh this much of it
SIBLING_SHARE = 0.15
LONG_PARAGRAPH = 50

_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf")

# -- what is text --------------------------------------------------------------

#: elements whose content is never text on the page
_SKIP = frozenset("""script style noscript template head title meta link base iframe frame frameset noframes
    object embed applet param svg math canvas audio video source track map area select option optgroup
    datalist button input textarea img picture xml""".split())
#: elements that start and end a line
_BLOCK = frozenset("""address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing main
    menu nav ol p pre section summary table tbody td tfoot th thead tr ul xmp plaintext""".split())
_PRE = frozenset(("pre", "xmp", "listing", "plaintext"))
_CELL = ("td", "th")
_HIDDEN_STYLE = lazy(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
#: a grid position that holds no cell (docx gridBefore/gridAfter): Word writes it as a placeholder
#: cell, LibreOffice as an empty cell with no border in a table whose cells have borders
_PLACEHOLDER = lazy(r"mso-cell-special\s*:\s*placeholder", re.I)
_NO_BORDER = lazy(r"(?:^|;)\s*border\s*:\s*none", re.I)
_DRAWN = lazy(r"border[\w-]*\s*:[^;]*\bsolid\b", re.I)

_CJK = ("\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uac00-\ud7af"
        "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff")
#: a line break in the source between two Chinese characters: no space at all (Word and
#: many CMS editors wrap long lines of Chinese text anywhere)
_CJK_BREAK = lazy(rf"(?<=[{_CJK}])[ \t\r\f]*\n[ \t\r\n\f]*(?=[{_CJK}])")
_WS = lazy(r"[ \t\n\r\f]+")
_NOT_SPACE = lazy(r"\S")
_NUMBER = lazy(r"[0-9０-９][0-9０-９,，.]*")
_CJK_CHAR = lazy(rf"[{_CJK}]")

# -- hostile markup ------------------------------------------------------------------

_ENTITY_DECL = lazy(r"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.I)
#: Word's filler row for browsers that cannot align columns: not content
_MISALIGNED = lazy(r"<!\[if\s+!supportMisalignedColumns\]>.*?<!\[endif\]>", re.I | re.S)

# -- page facts ------------------------------------------------------------------------

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_PUBLISHED = lazy(r"(?:发布|发表|公开|发文|成文|更新|生成)?(?:时间|日期)\s*[:：]\s*" + _DATE)
_PUBLISHED_BY = lazy(r"(?:信息来源|文章来源|来源|发布机构|发布单位)\s*[:：]\s*([^\s:：|｜]{2,40}?)"
                           r"(?=\s|$|[|｜]|浏览|点击|阅读|发布|时间|日期|字号|作者)")
_META_PUBLISHED = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date",
                   "dcterms.issued")
_META_PUBLISHED_BY = ("contentsource", "source", "dc.publisher")


def _iso_date(year: str, month: str, day: str) -> str:
    """A date's digits (the groups of ``_DATE``) as YYYY-MM-DD."""
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _n_text(s: str) -> int:
    return len(_NOT_SPACE.findall(s))


# == decoding ===============================================================================

_GB = ("gb2312", "gbk", "x-gbk", "gb-2312", "cp936", "ms936", "windows-936", "csgb2312", "chinese",
       "iso-ir-58", "gb18030", "euc-cn", "x-euc-cn", "csiso58gb231280", "gb-18030")
_META_CHARSET = lazy(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_ENCODING = lazy(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']""", re.I)


def _codec(label: str | None, *, from_meta: bool = False) -> str | None:
    """The Python codec for a charset label, or None when the label is unknown or useless."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower().replace("_", "-")
    if name in _GB:
        return "gb18030"           # GB2312 and GBK are subsets: read them all as GB18030
    if name in ("big5", "cn-big5", "x-x-big5", "csbig5", "big5-hkscs"):
        return "big5hkscs"
    if from_meta and (name.startswith("utf-16") or name in ("unicode", "ucs-2", "utf-32")):
        return "utf-8"             # as browsers do: a page that could read its own <meta> is not UTF-16
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared(data: bytes) -> str | None:
    head = data[:8192]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _codec(m.group(1).decode("ascii"), from_meta=True) if m else None


def _chinese_guess(data: bytes) -> str | None:
    import chardet  # only when the page is not UTF-8 and declares nothing usable

    guess = _codec(chardet.detect(data[:200_000]).get("encoding"))
    return guess if guess in ("gb18030", "big5hkscs") else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str, int]:
    """The page's text, the codec it was read with and how many bad bytes became U+FFFD."""
    for bom, bom_codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                           (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(bom_codec, "replace")
            return text, bom_codec, text.count("\ufffd")
    candidates: list[str | None] = ["utf-8"]
    odd, even = data[1:4096:2].count(0), data[0:4096:2].count(0)
    if odd + even > 16 and max(odd, even) > 4 * min(odd, even):     # UTF-16 without a BOM
        candidates.insert(0, "utf-16-le" if odd > even else "utf-16-be")
    candidates += [_codec(declared), _declared(data)]
    failed: set[str] = set()             # read strictly once already, and not clean: only read tolerantly below
    for codec in candidates:
        if codec:
            try:
                return data.decode(codec), codec, 0
            except UnicodeDecodeError:
                failed.add(codec)
            except LookupError:
                continue
    guess = _chinese_guess(data)
    tried = [c for c in dict.fromkeys(candidates + [guess, "gb18030"]) if c]
    best: tuple[str, str, int] | None = None
    for codec in tried:
        try:
            if codec not in failed:
                return data.decode(codec), codec, 0
        except UnicodeDecodeError:
            pass
        except LookupError:
            continue
        text = data.decode(codec, "replace")
        bad = text.count("\ufffd")
        if best is None or bad < best[2]:
            best = (text, codec, bad)
    assert best is not None             # gb18030 is always tried: it returns above or sets best
    return best


# == web archives (.mht / .mhtml) ===========================================================

def _is_archive(data: bytes) -> bool:
    head = data[:8192].lstrip().lower()
    if head.startswith(b"<"):
        return False
    return b"content-type:" in head and b"multipart/" in head


def _archive_page(data: bytes) -> tuple[bytes, str | None, str | None]:
    """The HTML part of a MIME web archive: (its bytes, the charset it declares, its location)."""
    from email import policy
    from email.message import Message
    from email.parser import BytesFeedParser
    from email.utils import collapse_rfc2231_value

    if len(data) > MAX_ARCHIVE_BYTES:
        raise InputTooLarge(f"网页存档过大（{len(data)} 字节），超过上限 {MAX_ARCHIVE_BYTES // 2**20} MB，已拒绝读取",
                            f"the web archive is too large ({len(data)} bytes; the limit is "
                            f"{MAX_ARCHIVE_BYTES // 2**20} MB); refused")
    parser = BytesFeedParser(policy=policy.compat32)
    for at in range(0, len(data), 1 << 20):
        checkpoint()
        parser.feed(data[at:at + (1 << 20)])
    msg = parser.close()
    param = msg.get_param("start") if msg.is_multipart() else None
    if isinstance(param, tuple):                # RFC 2231 (charset, language, value)
        param = collapse_rfc2231_value(param)
    start = (param or "").strip().strip("<>")
    leaves: list[Message] = []
    stack: list[tuple[Message, int]] = [(msg, 0)]
    seen = 0
    while stack:                                # no recursion: nesting is the file's choice
        part, depth = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            raise CorruptInput(f"网页存档的部件超过 {MAX_PARTS} 个，已拒绝读取",
                               f"the web archive has more than {MAX_PARTS} parts; refused")
        if part.is_multipart():
            if depth >= MAX_PART_DEPTH:
                continue
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend((p, depth + 1) for p in reversed(payload) if isinstance(p, Message))
        else:
            leaves.append(part)
    htmls = [p for p in leaves if p.get_content_type() in ("text/html", "application/xhtml+xml")]
    root = None
    if start:
        root = next((p for p in htmls if (p.get("Content-ID") or "").strip().strip("<>") == start), None)
    root = root or (htmls[0] if htmls else None)
    if root is None:
        raise CorruptInput("网页存档（MHT）中没有 HTML 部件", "the web archive (MHT) holds no HTML part")
    body = root.get_payload(decode=True)           # a leaf's bytes (None when it has none)
    return (body if isinstance(body, bytes) else b""), root.get_content_charset(), root.get("Content-Location")


# == the walk =================================================================================

class _Line:
    """Inline content being gathered: pieces of text (with whether they are link text) and breaks."""

    BR = None

    def __init__(self, cjk_breaks: bool = True):
        self.pieces: list = []
        self.line: int | None = None
        self.cjk_breaks = cjk_breaks

    def add(self, text: str, link: bool, line: int | None) -> None:
        if text:
            if self.line is None and text.strip():
                self.line = line
            self.pieces.append((text, link))

    def br(self) -> None:
        self.pieces.append(self.BR)

    def take(self) -> tuple[list[tuple[str, int, int]], int | None]:
        """The lines gathered so far — (text, characters outside links, characters in links) — and
        the source line where they start; the buffer is emptied."""
        out: list[tuple[str, int, int]] = []
        cur: list[tuple[str, bool]] = []
        for piece in self.pieces + [self.BR]:
            if piece is self.BR:
                if cur:
                    text = clean("".join(t for t, _ in cur), self.cjk_breaks)
                    if text:
                        plain = sum(_n_text(t) for t, link in cur if not link)
                        out.append((text, plain, sum(_n_text(t) for t, link in cur if link)))
                cur = []
            else:
                cur.append(piece)
        line, self.pieces, self.line = self.line, [], None
        return out, line


def clean(s: str, cjk_breaks: bool = True) -> str:
    """Text as a browser shows it: white space collapsed, no space where the source broke a line
    between Chinese characters (unless ``cjk_breaks`` is False), a non-breaking space kept as a
    space, the ends stripped."""
    if cjk_breaks:
        s = _CJK_BREAK.sub("", s)
    s = _WS.sub(" ", s)
    return s.replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "").strip()


def _tag(el) -> str | None:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else None      # comments, PIs: None


def _hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


def _int(value: str | None, default: int) -> int:
    m = re.match(r"\s*\+?(\d+)", value or "")
    return int(m.group(1)) if m and len(m.group(1)) < 9 else default


def _rows(table) -> list[list]:
    """The table's rows (``tr``), grouped by row group, in the order a browser shows them."""
    head: list = []
    body: list = []
    foot: list = []
    loose: list = []
    for el in table:
        tag = _tag(el)
        if tag == "tr":
            loose.append(el)
            continue
        if loose:
            body.append(loose)
            loose = []
        if tag in ("thead", "tbody", "tfoot"):
            group = [tr for tr in el if _tag(tr) == "tr"]
            (head if tag == "thead" else foot if tag == "tfoot" else body).append(group)
    if loose:
        body.append(loose)
    return head + body + foot


def _cells(tr) -> list:
    return [c for c in tr if _tag(c) in _CELL]


def is_layout_table(table) -> bool:
    """A table that lays out the page rather than holding data: it holds tables, has one cell,
    or one of its cells holds page-sized text."""
    for _ in table.iterdescendants("table"):
        return True
    cells = [c for group in _rows(table) for tr in group for c in _cells(tr)]
    if len(cells) <= 1:
        return True
    return any(len("".join(c.itertext())) > 2000 for c in cells)


class _Page:
    """Walks a page's body into blocks, remembering which blocks each element holds."""

    def __init__(self, cjk_breaks: bool = True):
        self.cjk_breaks = cjk_breaks
        self.blocks: list = []
        self.weights: list[int] = []
        self.kinds: list[str] = []            # the block element a paragraph ended in ("p", "h1", "td", …)
        self.figures: list[int] = []          # indices of tables of figures
        self.ranges: dict = {}                # element → (first block, end)
        self.line = _Line(cjk_breaks)
        self.steps = 0

    def _tick(self) -> None:
        self.steps += 1
        if self.steps % 256 == 0:
            checkpoint()

    def _flush(self, kind: str) -> None:
        lines, line = self.line.take()
        for text, plain, link in lines:
            self.blocks.append(Paragraph(text, Origin(line=line)))
            self.weights.append(plain if link <= plain else 0)
            self.kinds.append(kind)

    def walk(self, body) -> None:
        ENTER, TAIL, EXIT = 0, 1, 2
        stack: list[tuple[int, Any, int | None]] = [(ENTER, body, None)]   # (kind, element, blocks at entry)
        links = pre = 0
        block_stack = ["body"]
        while stack:
            kind, el, start = stack.pop()
            if kind == TAIL:
                if el.tail:
                    self._text(el.tail, links > 0, pre > 0, el.sourceline)
                continue
            if kind == EXIT:
                tag = _tag(el)
                if tag in _BLOCK:
                    self._flush(tag)
                    block_stack.pop()
                if tag == "a" and el.get("href") is not None:
                    links -= 1
                if tag in _PRE:
                    pre -= 1
                self.ranges[el] = (start, len(self.blocks))
                continue
            self._tick()
            tag = _tag(el)
            if tag is None or tag in _SKIP or _hidden(el):
                continue
            if tag == "br":
                self.line.br()
                continue
            if tag == "table" and not is_layout_table(el):
                self._flush(block_stack[-1])
                at = len(self.blocks)
                self.data_table(el)
                self.ranges[el] = (at, len(self.blocks))
                continue
            if tag in _BLOCK:
                self._flush(block_stack[-1])
                block_stack.append(tag)
            if tag == "a" and el.get("href") is not None:
                links += 1
            if tag in _PRE:
                pre += 1
            stack.append((EXIT, el, len(self.blocks)))
            if el.text:
                self._text(el.text, links > 0, pre > 0, el.sourceline)
            for child in reversed(el):
                stack.append((TAIL, child, None))
                stack.append((ENTER, child, None))
        self._flush("body")

    def _text(self, text: str, link: bool, pre: bool, line: int | None, into: _Line | None = None) -> None:
        into = into or self.line
        if not pre:
            into.add(text, link, line)
            return
        for k, part in enumerate(text.split("\n")):
            if k:
                into.br()
            into.add(part.replace(" ", "\xa0"), link, line)     # white space in <pre> is kept

    # -- data tables ---------------------------------------------------------------------------
    def cell_text(self, td) -> tuple[str, int, int]:
        """A cell's lines joined with ``\\n``; its characters outside and inside links."""
        line = _Line(self.cjk_breaks)
        lines: list[str] = []
        plain = link_chars = 0

        def flush():
            nonlocal plain, link_chars
            got, _ = line.take()
            for text, p, k in got:
                lines.append(text)
                plain += p
                link_chars += k

        stack = [(0, td)]
        links = pre = 0
        while stack:
            kind, el = stack.pop()
            if kind == 1:                      # tail
                if el.tail:
                    self._text(el.tail, links > 0, pre > 0, None, line)
                continue
            if kind == 2:                      # exit
                tag = _tag(el)
                if tag in _BLOCK:
                    flush()
                if tag == "a" and el.get("href") is not None:
                    links -= 1
                if tag in _PRE:
                    pre -= 1
                continue
            self._tick()
            tag = _tag(el)
            if tag is None or tag in _SKIP or _hidden(el):
                continue
            if tag == "br":
                line.br()
                continue
            if tag in _BLOCK:
                flush()
            if tag == "a" and el.get("href") is not None:
                links += 1
            if tag in _PRE:
                pre += 1
            stack.append((2, el))
            if el.text:
                self._text(el.text, links > 0, pre > 0, None, line)
            for child in reversed(el):
                stack.append((1, child))
                stack.append((0, child))
        flush()
        return "\n".join(lines), plain, link_chars

    def data_table(self, el) -> None:
        for child in el:
            if _tag(child) == "caption" and not _hidden(child):
                text, plain, links = self.cell_text(child)
                for part in text.split("\n"):
                    if part:
                        self.blocks.append(Paragraph(part, Origin(line=child.sourceline)))
                        self.weights.append(plain if links <= plain else 0)
                        self.kinds.append("caption")
        table = Table(origin=Origin(line=el.sourceline), grid=True)
        plain = links = numbers = labels = positions = 0
        drawn = any(_DRAWN.search(td.get("style") or "") for group in _rows(el) for tr in group
                    for td in _cells(tr))
        r = 0
        for group in _rows(el):
            end = r + len(group)
            below: dict[int, int] = {}         # grid column → the first row no longer covered from above
            for tr in group:
                tds = [td for td in _cells(tr) if not _hidden(td)]
                if not tds and not any(v > r for v in below.values()):
                    end -= 1                   # a row with no cell that nothing covers: not a row at all
                    continue
                col = 0
                for td in tds:
                    while below.get(col, 0) > r:
                        col += 1
                    colspan = min(max(_int(td.get("colspan"), 1), 1), MAX_COLSPAN)
                    rowspan = min(_int(td.get("rowspan"), 1), MAX_ROWSPAN)
                    if rowspan == 0 or rowspan > end - r:
                        rowspan = end - r       # "0": to the end of the row group; never beyond it
                    positions += colspan * rowspan
                    if positions > MAX_TABLE_POSITIONS:
                        raise CorruptInput(f"表格超过 {MAX_TABLE_POSITIONS} 个单元格位置，已拒绝读取",
                                           f"a table covers more than {MAX_TABLE_POSITIONS} grid positions; "
                                           f"refused")
                    text, p, k = self.cell_text(td)
                    style = td.get("style") or ""
                    if _PLACEHOLDER.search(style) or (drawn and not text and _NO_BORDER.search(style)):
                        col += colspan             # a position without a cell, as docx gridAfter
                        continue
                    plain, links = plain + p, links + k
                    flat = "".join(text.split())
                    if flat and _NUMBER.fullmatch(flat):
                        numbers += 1
                    elif len(_CJK_CHAR.findall(flat)) >= 2:
                        labels += 1
                    table.add(Cell(text, r, col, rowspan, colspan, Origin(line=td.sourceline)))
                    if rowspan > 1:
                        for k2 in range(col, col + colspan):
                            below[k2] = r + rowspan
                    col += colspan
                r += 1
        if not table.cells:
            return
        self.blocks.append(table)
        self.weights.append(plain if links <= plain else 0)
        self.kinds.append("table")
        if numbers >= 4 and labels >= 2 and links <= plain:
            self.figures.append(len(self.blocks) - 1)

    # -- the article -------------------------------------------------------------------------------
    def _units(self, el) -> list[tuple[int, int]]:
        """The parts of an element, in order: each child's blocks, and each block of its own text."""
        a, b = self.ranges[el]
        units: list[tuple[int, int]] = []
        at = a
        for child in el:
            r = self.ranges.get(child)
            if r is None or r[0] == r[1]:
                continue
            units.extend((i, i + 1) for i in range(at, r[0]))
            units.append(r)
            at = r[1]
        units.extend((i, i + 1) for i in range(at, b))
        return units

    def article(self, body) -> tuple[int, int, object]:
        """The blocks of the report: (first, end, the element that holds them)."""
        n = len(self.blocks)
        prefix, long_prefix = [0], [0]
        for w, b in zip(self.weights, self.blocks):
            prefix.append(prefix[-1] + w)
            long_prefix.append(long_prefix[-1] + (w if w >= LONG_PARAGRAPH and isinstance(b, Paragraph) else 0))
        total = prefix[-1]

        def weight(a, b):
            return prefix[b] - prefix[a]

        def long(a, b):
            return long_prefix[b] - long_prefix[a]

        def smallest(lo, hi):
            found, size = body, n + 1
            for el, (a, b) in self.ranges.items():
                if a <= lo and hi <= b and b - a < size:
                    found, size = el, b - a
            return found

        holder, (s, e) = body, self.ranges.get(body, (0, n))
        if total:                               # the deepest element with most of the page's weight
            for el, (a, b) in self.ranges.items():
                if b - a < e - s and weight(a, b) >= ARTICLE_SHARE * total:
                    holder, s, e = el, a, b
        if self.figures and (self.figures[0] < s or self.figures[-1] >= e):
            lo, hi = min(s, self.figures[0]), max(e, self.figures[-1] + 1)
            holder = smallest(lo, hi)            # every table of figures: the parts of the element that
            inside = [u for u in self._units(holder) if u[0] < hi and lo < u[1]]   # holds them, no more
            s, e = inside[0][0], inside[-1][1]
        while holder in self.ranges:             # parts beside the article that are text too
            if self.ranges[holder] == (s, e):
                holder = holder.getparent()
                continue
            units = self._units(holder)
            first = next(k for k, u in enumerate(units) if u[0] >= s)
            last = max(k for k, u in enumerate(units) if u[1] <= e)
            need = SIBLING_SHARE * max(weight(s, e), 1)
            new_first, acc = first, 0
            for k in range(first - 1, -1, -1):
                acc += long(*units[k])
                if acc >= need and long(*units[k]):
                    new_first = k
            new_last, acc = last, 0
            for k in range(last + 1, len(units)):
                acc += long(*units[k])
                if acc >= need and long(*units[k]):
                    new_last = k
            if (new_first, new_last) == (first, last):
                break
            s, e = units[new_first][0], units[new_last][1]
        return s, e, smallest(s, e)


def _describe(el) -> str:
    tag = _tag(el) or "?"
    out = tag
    if el.get("id"):
        out += "#" + el.get("id").strip()[:40]
    if el.get("class"):
        out += "".join("." + c for c in el.get("class").split()[:3])
    return out


def _page_facts(root) -> dict:
    props: dict = {}
    for el in root.iter("title", "meta"):
        tag = _tag(el)
        if tag == "title" and "page_title" not in props:
            title = clean("".join(el.itertext()))
            if title:
                props["page_title"] = title
        elif tag == "meta":
            name = (el.get("name") or el.get("property") or "").strip().lower()
            content = clean(el.get("content") or "")
            if not content:
                continue
            if name == "generator" or (name in ("progid", "originator") and "producer" not in props):
                props["producer"] = content      # the Generator names the program; ProgId only its kind
            elif name in _META_PUBLISHED and "published" not in props:
                m = re.search(_DATE, content)
                if m:
                    props["published"] = _iso_date(*m.groups())
            elif name in _META_PUBLISHED_BY and "published_by" not in props:
                props["published_by"] = content[:100]
            elif name == "articletitle" and "headline" not in props:
                props["headline"] = content[:200]
    return props


class HtmlLoader(Loader):
    name = "html"
    format = "html"
    extensions = HTML_EXTENSIONS + ARCHIVE_EXTENSIONS
    description = ("web pages (.html, .htm, .xhtml) and web archives (.mht): the article only, "
                   "rowspan/colspan on the true grid; UTF-8, GBK/GB18030")
    priority = 5
    max_bytes = MAX_ARCHIVE_BYTES

    def accepts(self, source) -> float:
        data = source.data
        if data.startswith(_BINARY_MAGIC):
            return 0.0
        ext = source.extension
        if ext in ARCHIVE_EXTENSIONS:
            return 0.9
        if ext in HTML_EXTENSIONS:
            return 0.9
        head = data[:4096]
        for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            if head.startswith(bom):
                head = head[len(bom):].decode("utf-16" if len(bom) == 2 else "utf-8", "ignore").encode()
                break
        head = head.lstrip().lower()
        if ext == "txt":
            return 0.0
        if _is_archive(data):
            return 0.8
        if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<?xml") and b"<html" in head):
            return 0.8                           # e.g. a page Word saved as "report.doc"
        if head.startswith(b"<") and any(t in head for t in (b"<body", b"<table", b"<head", b"<meta", b"<p")):
            return 0.5
        return 0.0

    def load(self, source, options) -> Document:
        data = source.data
        properties: dict = {}
        declared = None
        if _is_archive(data):
            data, declared, location = _archive_page(data)
            properties["archive"] = "mime"
            if location:
                properties["part"] = location[:300]
        if len(data) > MAX_HTML_BYTES:
            raise InputTooLarge(f"网页过大（{len(data)} 字节），超过上限 {MAX_HTML_BYTES // 2**20} MB，已拒绝读取",
                                f"the page is too large ({len(data)} bytes; the limit is "
                                f"{MAX_HTML_BYTES // 2**20} MB); refused")
        text, encoding, bad = decode(data, declared)
        properties["encoding"] = encoding
        checkpoint()
        root = self._parse(text)
        findings = []
        if bad:
            from govconv import Finding

            findings.append(Finding(
                "text.decoding", [],
                f"网页中有 {bad} 处字节不是有效的 {encoding} 编码，已替换为 U+FFFD；这些位置的文字可能有误",
                f"{bad} invalid byte sequence(s) for {encoding} in the page were replaced with U+FFFD; "
                f"the text there may be wrong", values={"count": bad, "encoding": encoding}))
        if root is None:
            return Document([], format=self.format, loader=self.name, properties=properties, findings=findings)
        properties.update(_page_facts(root))
        body = root.find("body")
        if body is None:
            body = root
        # LibreOffice wraps its HTML at white space: there a source line break stands for a space
        producer = properties.get("producer", "").lower()
        page = _Page(cjk_breaks="libreoffice" not in producer and "openoffice" not in producer)
        page.walk(body)
        s, e, article = page.article(body)
        properties["article"] = _describe(article)
        outside = [i for i in range(len(page.blocks)) if not s <= i < e]
        inside = list(range(s, e))
        for i in outside:
            if page.kinds[i] in ("h1", "h2") and "headline" not in properties and i < s:
                properties["headline"] = page.blocks[i].text[:200]
        for i in outside + inside[:3]:           # the page's own line first, else one atop the article
            b = page.blocks[i]
            if not isinstance(b, Paragraph):
                continue
            m = _PUBLISHED.search(b.text)
            if m and "published" not in properties:
                properties["published"] = _iso_date(*m.groups())
            m = _PUBLISHED_BY.search(b.text)
            if m and "published_by" not in properties:
                properties["published_by"] = m.group(1)
        return Document(page.blocks[s:e], format=self.format, loader=self.name, properties=properties,
                        findings=findings)

    def _parse(self, text: str):
        from lxml import etree

        if _ENTITY_DECL.search(text):
            raise CorruptInput("网页含有 DOCTYPE 内部子集或实体声明（可能是恶意构造的实体扩展），已拒绝读取",
                               "the page declares entities or an internal DOCTYPE subset (possibly hostile "
                               "entity expansion); refused")
        text = _MISALIGNED.sub("", text).replace("\x00", "")
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                                  huge_tree=False, recover=True, default_doctype=False, collect_ids=False)
        try:
            root = etree.fromstring(text.encode("utf-8", "replace"), parser)
        except etree.ParserError:
            root = None
        except etree.XMLSyntaxError as e:
            raise CorruptInput(f"无法解析网页（{e.msg}）", f"the page cannot be parsed ({e.msg})") from None
        for err in parser.error_log:
            if err.level_name == "FATAL" and ("depth" in err.message.lower() or "huge" in err.message.lower()
                                              or "RESOURCE" in (err.type_name or "")):
                raise CorruptInput("网页的元素嵌套过深或文本节点过大（超过解析器的上限），已拒绝读取",
                                   "the page nests its elements too deeply or holds a text node too large "
                                   f"for the parser ({' '.join(err.message.split())}); refused")
        return root


@hookimpl
def register_loaders(register):
    register(HtmlLoader())
