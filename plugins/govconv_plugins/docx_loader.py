"""Loader ``docx``: Word 2007+ documents (Office Open XML WordprocessingML).

The main document part is read straight from the zip with lxml (no
python-docx: its cell access is quadratic and it reads parts we never need).
The body is walked in order:

* ``w:p`` → :class:`~govconv.Paragraph`.  Text comes from runs (``w:t``;
  ``w:tab`` is a space; ``w:br``/``w:cr`` break the line), also inside
  hyperlinks, content controls (``w:sdt``), tracked insertions (``w:ins``,
  ``w:moveTo``), smart tags, custom XML and field results (``w:fldSimple``,
  and for complex fields the runs between ``fldChar separate`` and ``end``).
  Field instructions (``w:instrText``), tracked deletions (``w:del``,
  ``w:moveFrom``), hidden runs (``w:vanish``), drawings and text boxes are
  not text.  A body paragraph
  with hard line breaks becomes one paragraph per line (as Word's own text
  export writes it); empty paragraphs are dropped.
* ``w:tbl`` → :class:`~govconv.Table` on the true grid: ``w:gridBefore``
  skips columns, ``w:gridSpan`` is the colspan, ``w:vMerge`` (restart /
  continue) the rowspan of the anchor cell, legacy ``w:hMerge`` widens the
  cell on its left.  Cell text is the cell's lines (paragraphs, ``w:br``)
  joined with ``\\n``, empty ones dropped, kept as written otherwise (as the
  txt loader keeps its cells: the raw text is never thrown away);
  tables nested in a cell go to :attr:`Cell.tables`.  Rows deleted with
  tracked changes are skipped.
* ``w:sdt`` / ``w:customXml`` around blocks, rows or cells are transparent.

Headers, footers, comments, footnotes and endnotes live in other parts and
are not read.  The package is checked before anything is decompressed (zip
bombs), and XML with a DOCTYPE (entity expansion, external entities) is
refused.
"""
from __future__ import annotations

import codecs
import io
import posixpath

from govconv import Cell, Document, Loader, Origin, Paragraph, Table, hookimpl
from govconv.errors import CorruptInput, EncryptedInput, GovconvError, UnsupportedInput
from govconv.reading.patterns import lazy

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
DOCX_EXTENSIONS = ("docx", "docm", "dotx", "dotm")

#: limits checked on the zip directory before any part is decompressed
MAX_ENTRIES = 10_000
MAX_PART_BYTES = 100 * 1024 * 1024        # one XML part, uncompressed
MAX_TOTAL_BYTES = 100 * 1024 * 1024       # all XML parts together, uncompressed
MAX_RATIO = 200                           # uncompressed / compressed, for parts over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024 * 1024

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                   "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CORE_NS = {"dc": "http://purl.org/dc/elements/1.1/",
           "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
           "dcterms": "http://purl.org/dc/terms/"}
CONVERT_HINT = "libreoffice --headless --convert-to docx FILE"


def _tags(ns: str) -> dict[str, str]:
    names = ("body p r t tab ptab br cr noBreakHyphen softHyphen sym tbl tr tc tcPr trPr gridSpan vMerge hMerge "
             "gridBefore sdt sdtContent customXml smartTag hyperlink ins moveTo del moveFrom fldSimple "
             "fldChar instrText delText delInstrText rubyBase ruby val fldCharType type dir bdo "
             "txbxContent rPr vanish").split()
    return {n: f"{{{ns}}}{n}" for n in names}


class _Reader:
    """Walks one main document part into blocks."""

    def __init__(self, ns: str):
        self.T = _tags(ns)
        T = self.T
        # elements whose children are read as if they stood in their parent's place
        self.inline_wrappers = {T["hyperlink"], T["ins"], T["moveTo"], T["smartTag"], T["customXml"],
                                T["fldSimple"], T["dir"], T["bdo"]}
        self.skipped = {T["del"], T["moveFrom"]}
        self.field_stack: list[bool] = []     # per open complex field: True once past "separate"

    # -- text of a paragraph ---------------------------------------------------
    def _hidden_by_field(self) -> bool:
        return any(not past for past in self.field_stack)

    def _run_text(self, r, out: list[str]) -> None:
        T = self.T
        for el in r:
            tag = el.tag
            if tag == T["t"]:
                if el.text and not self._hidden_by_field():
                    out.append(el.text)
            elif tag == T["fldChar"]:
                kind = el.get(T["fldCharType"])
                if kind == "begin":
                    self.field_stack.append(False)
                elif kind == "separate" and self.field_stack:
                    self.field_stack[-1] = True
                elif kind == "end" and self.field_stack:
                    self.field_stack.pop()
            elif self._hidden_by_field():
                continue
            elif tag == T["tab"] or tag == T["ptab"]:
                out.append(" ")
            elif tag == T["br"] or tag == T["cr"]:
                out.append("\n")
            elif tag == T["noBreakHyphen"]:
                out.append("-")
            elif tag == T["ruby"]:
                base = el.find(T["rubyBase"])
                if base is not None:
                    self._inline(base, out)
            # w:instrText, w:delText, w:softHyphen, w:sym, drawings, footnote references: not text

    def _inline(self, parent, out: list[str]) -> None:
        T = self.T
        for el in parent:
            tag = el.tag
            if tag == T["r"]:
                rpr = el.find(T["rPr"])
                if rpr is not None and self._hidden(rpr):
                    continue
                self._run_text(el, out)
            elif tag in self.inline_wrappers:
                self._inline(el, out)
            elif tag == T["sdt"]:
                content = el.find(T["sdtContent"])
                if content is not None:
                    self._inline(content, out)
            elif tag == T["rubyBase"]:
                self._inline(el, out)
            # w:pPr, w:del, w:moveFrom, bookmarks, proofErr, mc:AlternateContent, …: skipped

    def _hidden(self, rpr) -> bool:
        """Hidden text (w:vanish) is not shown, printed or exported by Word: not read either."""
        vanish = rpr.find(self.T["vanish"])
        return vanish is not None and vanish.get(self.T["val"], "true") not in ("0", "false", "off")

    def paragraph_text(self, p) -> str:
        # a field instruction never spans paragraphs: an unfinished one (malformed) must not hide the rest
        if self.field_stack and not all(self.field_stack):
            self.field_stack = [past for past in self.field_stack if past]
        out: list[str] = []
        self._inline(p, out)
        return "".join(out)

    # -- blocks ------------------------------------------------------------------
    def blocks(self, parent, out: list) -> list:
        """Body-level content of ``parent`` (w:body, w:sdtContent, …) appended to ``out``."""
        T = self.T
        for el in parent:
            tag = el.tag
            if tag == T["p"]:
                for line in self.paragraph_text(el).split("\n"):
                    line = line.strip()
                    if line:
                        out.append(Paragraph(line, Origin()))
            elif tag == T["tbl"]:
                out.append(self.table(el))
            elif tag == T["sdt"]:
                content = el.find(T["sdtContent"])
                if content is not None:
                    self.blocks(content, out)
            elif tag == T["customXml"] or tag == T["ins"] or tag == T["moveTo"]:
                self.blocks(el, out)
            # w:sectPr, bookmarks, w:del / w:moveFrom around blocks, w:altChunk: skipped
        return out

    def cell_content(self, tc) -> tuple[str, list[Table]]:
        T = self.T
        lines: list[str] = []
        tables: list[Table] = []

        def walk(parent):
            for el in parent:
                tag = el.tag
                if tag == T["p"]:
                    lines.extend(line for line in self.paragraph_text(el).split("\n") if line)
                elif tag == T["tbl"]:
                    tables.append(self.table(el))
                elif tag == T["sdt"]:
                    content = el.find(T["sdtContent"])
                    if content is not None:
                        walk(content)
                elif tag == T["customXml"] or tag == T["ins"] or tag == T["moveTo"]:
                    walk(el)

        walk(tc)
        return "\n".join(lines), tables

    def _children(self, parent, tag: str):
        """The ``tag`` children of ``parent`` (rows of a table, cells of a row), also those
        wrapped in a content control (w:sdt) or custom XML."""
        T = self.T
        for el in parent:
            if el.tag == T[tag]:
                yield el
            elif el.tag == T["sdt"]:
                content = el.find(T["sdtContent"])
                if content is not None:
                    yield from self._children(content, tag)
            elif el.tag == T["customXml"]:
                yield from self._children(el, tag)

    def _int(self, el, default: int) -> int:
        if el is None:
            return default
        try:
            return max(int(el.get(self.T["val"], default)), 0)
        except ValueError:
            return default

    def table(self, tbl) -> Table:
        T = self.T
        table = Table(origin=Origin())
        #: grid column → the anchor cell whose region ends in the row above, at that column
        above: dict[int, Cell] = {}
        r = 0
        for tr in self._children(tbl, "tr"):
            trpr = tr.find(T["trPr"])
            if trpr is not None and trpr.find(T["del"]) is not None:
                continue                  # a row deleted with tracked changes
            col = self._int(trpr.find(T["gridBefore"]) if trpr is not None else None, 0)
            current: dict[int, Cell] = {}
            previous: Cell | None = None
            for tc in self._children(tr, "tc"):
                pr = tc.find(T["tcPr"])
                span, vmerge, hmerge = 1, None, None
                if pr is not None:
                    span = max(self._int(pr.find(T["gridSpan"]), 1), 1)
                    vm = pr.find(T["vMerge"])
                    if vm is not None:
                        vmerge = vm.get(T["val"], "continue")
                    hm = pr.find(T["hMerge"])
                    if hm is not None:
                        hmerge = hm.get(T["val"], "continue")
                text, nested = self.cell_content(tc)
                if hmerge == "continue" and previous is not None:
                    previous.colspan += span      # legacy horizontal merge: widen the cell on the left
                    if text:
                        previous.text = f"{previous.text}\n{text}" if previous.text else text
                    previous.tables.extend(nested)
                    col += span
                    continue
                anchor = above.get(col) if vmerge == "continue" else None
                if anchor is not None and anchor.row + anchor.rowspan == r:
                    anchor.rowspan += 1
                    if text:                      # Word hides it, but the source text is never dropped
                        anchor.text = f"{anchor.text}\n{text}" if anchor.text else text
                    anchor.tables.extend(nested)
                    current[col] = anchor
                    previous = anchor
                else:
                    previous = table.add(Cell(text, r, col, 1, span, Origin(), nested))
                    current[col] = previous
                col += span
            above = current
            r += 1
        return table


_DOCTYPE_NEEDLES = tuple(w.encode(enc) for w in ("<!DOCTYPE", "<!ENTITY")
                         for enc in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))
#: (start of the part, the codec it announces): BOMs, then the XML declaration's first bytes
_XML_STARTS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
               (b"\xef\xbb\xbf", "utf-8"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
               (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
               (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
               (b"\x4c\x6f\xa7\x94", "cp037"))          # "<?xm" in EBCDIC: the declaration names the code page
_DECLARED = lazy(r"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def _one_line(text: object) -> str:
    """A library's message or a name from the file, fit for a one-line error: no line breaks or controls."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())[:300]


def _searched_as_bytes(codec: str) -> bool:
    """Is "<!DOCTYPE" in ``codec`` one of the byte needles already searched for?"""
    try:
        return all(w.encode(codec) in _DOCTYPE_NEEDLES for w in ("<!DOCTYPE", "<!ENTITY"))
    except (UnicodeError, LookupError):
        return False


def _declares_doctype(data: bytes, part: str) -> bool:
    """Does the part hold "<!DOCTYPE" or "<!ENTITY" — as bytes (ASCII-compatible encodings,
    UTF-16, UTF-32), or as text in the encoding its first bytes announce (EBCDIC: "<?xm" is
    4C 6F A7 94) or its XML declaration names?  An encoding Python does not know cannot be
    searched, and is refused.
    """
    if any(needle in data for needle in _DOCTYPE_NEEDLES):
        return True
    codec = next((c for start, c in _XML_STARTS if data.startswith(start)), "utf-8")
    head = data[:400].decode(codec, "replace").lstrip("\ufeff")
    codecs_ = [codec]
    declared = _DECLARED.match(head)
    if declared:
        name = declared.group(1)
        try:
            codecs_.append(codecs.lookup(name).name)
        except LookupError:
            if not _searched_as_bytes(codec) and any(
                    w in data.decode(codec, "replace") for w in ("<!DOCTYPE", "<!ENTITY")):
                return True
            raise CorruptInput(f"文档部件 {part} 声明了无法识别的编码 {_one_line(name)}，已拒绝读取",
                               f"the part {part} declares an unknown encoding {_one_line(name)}; refused") from None
    for c in dict.fromkeys(codecs_):
        if not _searched_as_bytes(c):
            text = data.decode(c, "replace")
            if "<!DOCTYPE" in text or "<!ENTITY" in text:
                return True
    return False


def _refuse_doctype(data: bytes, part: str) -> None:
    """XML with a DOCTYPE (entity declarations, external entities) is never parsed, in any encoding."""
    part = _one_line(part)
    if _declares_doctype(data, part):
        raise CorruptInput(f"文档部件 {part} 含有 DOCTYPE/实体声明（可能是恶意构造的 XML），已拒绝读取",
                           f"the part {part} declares a DOCTYPE or entities (possibly hostile XML); refused")


def _parse_xml(data: bytes, part: str):
    from lxml import etree

    _refuse_doctype(data, part)
    part = _one_line(part)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:      # libxml2's message may span lines: one line it is
        msg = _one_line(e.msg)
        raise CorruptInput(f"文档部件 {part} 不是有效的 XML（{msg}）",
                           f"the part {part} is not well-formed XML ({msg})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise CorruptInput(f"文档部件 {part} 含有 DOCTYPE 声明，已拒绝读取",
                           f"the part {part} declares a DOCTYPE; refused")
    return root


class DocxLoader(Loader):
    name = "docx"
    format = "docx"
    extensions = ("docx",)
    description = "Word 2007+ documents (.docx): true cell grid from gridSpan/vMerge, nested tables"
    priority = 10

    def accepts(self, source) -> float:
        head, ext = source.head, source.extension
        if head.startswith(ZIP_MAGIC):
            if ext in DOCX_EXTENSIONS:
                return 0.95
            if b"word/" in source.data[-65536:]:       # the zip's central directory names a Word part
                return 0.8
            return 0.5 if not ext else 0.2
        if head.startswith(OLE_MAGIC):
            return 0.9 if ext in DOCX_EXTENSIONS + ("doc",) else 0.0
        if ext in DOCX_EXTENSIONS:
            # named .docx but not a zip: say so clearly (a PDF / text loader sure of its magic wins)
            return 0.3
        return 0.0

    # -- the package ---------------------------------------------------------------
    def _open_zip(self, source):
        import zipfile

        data = source.data
        if data.startswith(OLE_MAGIC):
            if "EncryptedPackage".encode("utf-16-le") in data:
                raise EncryptedInput(
                    "这是加密（受密码保护）的 Word 文档；请在 Word 中取消密码后另存为 .docx 再转换",
                    "this is an encrypted (password-protected) Word document; remove the password in Word "
                    "and save it as .docx, then convert that")
            raise UnsupportedInput(
                "这是旧版 Word 二进制文档（.doc）或加密的 Word 文档（OLE 复合文件），不是 .docx；"
                f"请先另存为未加密的 .docx，例如运行 {CONVERT_HINT}",
                "this is a legacy binary Word document (.doc) or an encrypted Word file (an OLE compound "
                f"file), not a .docx; save it as an unencrypted .docx first, e.g. {CONVERT_HINT}")
        if not data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
            raise CorruptInput("文件不是有效的 .docx（不是 zip 压缩包）",
                               "the file is not a valid .docx (not a zip archive)")
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except NotImplementedError as e:       # e.g. a "version needed to extract" zipfile does not know
            why = _one_line(e)
            raise CorruptInput(f"文件不是有效的 .docx（zip 压缩包使用了不支持的功能：{why}）",
                               f"the file is not a valid .docx (the zip archive uses an unsupported feature: {why})"
                               ) from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, RuntimeError) as e:
            why = _one_line(e)
            raise CorruptInput(f"文件不是有效的 .docx（zip 压缩包已损坏或被截断：{why}）",
                               f"the file is not a valid .docx (the zip archive is damaged or truncated: {why})"
                               ) from None
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise CorruptInput(f"zip 包含 {len(infos)} 个条目，超过上限 {MAX_ENTRIES}，已拒绝读取",
                               f"the zip holds {len(infos)} entries (limit {MAX_ENTRIES}); refused")
        total = 0
        for info in infos:
            name = info.filename.lower()
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_PART_BYTES or (info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO):
                shown = _one_line(info.filename)
                raise CorruptInput(
                    f"部件 {shown} 解压后 {info.file_size} 字节、压缩比 {ratio:.0f}:1，疑似 zip 炸弹，已拒绝读取",
                    f"the part {shown} expands to {info.file_size} bytes (ratio {ratio:.0f}:1), "
                    f"a likely zip bomb; refused")
        if total > MAX_TOTAL_BYTES:
            raise CorruptInput(f"XML 部件解压后共 {total} 字节，超过上限 {MAX_TOTAL_BYTES}，疑似 zip 炸弹，已拒绝读取",
                               f"the XML parts expand to {total} bytes (limit {MAX_TOTAL_BYTES}), "
                               f"a likely zip bomb; refused")
        return zf

    def _read(self, zf, name: str) -> bytes:
        """One part, decompressed; anything that stops it (a method zipfile does not support —
        NotImplementedError —, an encrypted entry — RuntimeError —, damaged data, whatever the
        decompressor raises) is the file's fault: :class:`CorruptInput`."""
        info = zf.getinfo(name)
        shown = _one_line(name)
        try:
            with zf.open(info) as f:
                data = f.read(MAX_PART_BYTES + 1)
        except GovconvError:
            raise                              # the time limit, …
        except Exception as e:  # deliberately broad: zlib.error, bz2/lzma errors, struct.error, NotImplementedError, …
            why = _one_line(e) or type(e).__name__
            raise CorruptInput(f"无法解压部件 {shown}（{why}）",
                               f"cannot decompress the part {shown} ({why})") from None
        if len(data) > MAX_PART_BYTES:
            raise CorruptInput(f"部件 {shown} 解压后超过 {MAX_PART_BYTES} 字节，已拒绝读取",
                               f"the part {shown} expands beyond {MAX_PART_BYTES} bytes; refused")
        return data

    def _main_part(self, zf) -> str:
        names = set(zf.namelist())
        if "_rels/.rels" in names:
            rels = _parse_xml(self._read(zf, "_rels/.rels"), "_rels/.rels")
            for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
                if rel.get("Type") in OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
                    target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                    if target in names:
                        return target
        if "word/document.xml" in names:
            return "word/document.xml"
        raise CorruptInput("文件不是有效的 .docx：缺少主文档部件 word/document.xml",
                           "the file is not a valid .docx: the main document part word/document.xml is missing")

    def _properties(self, zf) -> dict:
        props: dict = {}
        if "docProps/core.xml" not in zf.namelist():
            return props
        try:
            root = _parse_xml(self._read(zf, "docProps/core.xml"), "docProps/core.xml")
        except CorruptInput:
            return props            # document properties are a nicety, never a reason to fail
        for key, path in (("title", "dc:title"), ("creator", "dc:creator"), ("created", "dcterms:created"),
                          ("modified", "dcterms:modified")):
            el = root.find(path, CORE_NS)
            if el is not None and el.text and el.text.strip():
                props[key] = el.text.strip()
        return props

    def load(self, source, options) -> Document:
        zf = self._open_zip(source)
        with zf:
            part = self._main_part(zf)
            root = _parse_xml(self._read(zf, part), part)
            ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
            shown = _one_line(part)
            if ns not in (W_TRANSITIONAL, W_STRICT):
                tag = _one_line(root.tag)
                raise CorruptInput(f"主文档部件 {shown} 不是 WordprocessingML（根元素 {tag}）",
                                   f"the main part {shown} is not WordprocessingML (root element {tag})")
            body = root.find(f"{{{ns}}}body")
            if body is None:
                raise CorruptInput(f"主文档部件 {shown} 没有 w:body", f"the main part {shown} has no w:body")
            blocks = _Reader(ns).blocks(body, [])
            properties = {"part": part, **self._properties(zf)}
            if ns == W_STRICT:
                properties["conformance"] = "strict"
        return Document(blocks, format=self.format, loader=self.name, properties=properties)


@hookimpl
def register_loaders(register):
    register(DocxLoader())
