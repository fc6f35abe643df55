"""Loader ``doc``: Word 97–2003 documents (.doc, .dot; also WPS files saved in that format)
and RTF, converted to .docx by LibreOffice and read by the ``docx`` loader.

The file is first looked at without LibreOffice: an OLE compound file (magic
``D0 CF 11 E0``) must hold a ``WordDocument`` stream, whose File Information
Block says whether the document is encrypted (``fEncrypted``: refused with
:class:`EncryptedInput`, as is an encrypted .docx, which is an OLE file with an
``EncryptedPackage`` stream); an OLE file without one (an Excel workbook, …) is
not a Word document.  Then

    soffice -env:UserInstallation=file:///tmp/govconv_doc_…/profile --headless
            --convert-to docx --outdir /tmp/govconv_doc_…/out /tmp/govconv_doc_…/input.doc

runs in a fresh temporary directory with a private LibreOffice profile, so
that conversions running side by side never share (or wait on) a profile; the
input is copied there under a plain name, so no file name from outside ever
reaches a command line.  The conversion runs under the conversion's time
limit (``LoadOptions.timeout``): past it, LibreOffice's whole process group is
killed and :class:`InputTimeout` raised; it is killed as well when the
conversion stops for any other reason.  The .docx it writes is handed to the
``docx`` loader through ``LoadOptions.read_as`` (no plugin imports another);
the Document says ``format`` ``doc`` (or ``rtf``) and ``loader`` ``doc``.

LibreOffice's tables cannot hold a row shorter than the others (a row
printed short: docx ``w:gridAfter``); it fills such a row up with empty cells
without borders.  Before the .docx is read, those cells at either end of a
row, in a table that draws its borders, become ``w:gridBefore``/``w:gridAfter``
again (:func:`restore_short_rows`): a position the report left unprinted must
not read as a blank cell, i.e. as 0.

Without LibreOffice the loader says so (:class:`UnsupportedInput`, exit 4)
and names the package to install: ``apt-get install libreoffice-writer-nogui``.
"""
from __future__ import annotations

import os
import struct

from govconv import Document, Loader, Source, checkpoint, hookimpl
from govconv.errors import CorruptInput, EncryptedInput, InputTimeout, UnsupportedInput

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
DOC_EXTENSIONS = ("doc", "dot", "wps")
RTF_EXTENSIONS = ("rtf",)
INSTALL = "apt-get install libreoffice-writer-nogui"
#: where LibreOffice lives when its installer did not put it on PATH (macOS, Windows)
SOFFICE_PLACES = ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                  r"C:\Program Files\LibreOffice\program\soffice.exe")
MAX_OUTPUT_BYTES = 128 * 1024 * 1024

_END = 0xFFFFFFFA              # sector numbers from here on are markers (end of chain, free, …)
_W_IDENT = (0xA5EC, 0xA5DC)    # Word 97+ and Word 6/95 File Information Blocks
_F_ENCRYPTED = 0x0100


# == the OLE compound file: just enough to find its streams ===================================

class _Ole:
    """A bounds-checked reader of an OLE (CFB) directory and the first bytes of a stream."""

    def __init__(self, data: bytes):
        self.data = data
        if len(data) < 512 or not data.startswith(OLE_MAGIC):
            raise ValueError("not an OLE compound file")
        shift = self._u16(0x1E)
        if shift not in (9, 12):
            raise ValueError(f"sector size 2^{shift}")
        self.ss = 1 << shift
        self.mini = 1 << self._u16(0x20)
        self.cutoff = self._u32(0x38)
        self.n_sectors = max((len(data) - self.ss) // self.ss + 1, 0)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
        difat, seen = self._u32(0x44), set()
        while difat < _END and len(fat_sectors) < self.n_sectors:
            if difat in seen:
                raise ValueError("a loop in the DIFAT")
            seen.add(difat)
            sector = self._sector(difat)
            entries = struct.unpack_from(f"<{self.ss // 4}I", sector)
            fat_sectors += [s for s in entries[:-1] if s < _END]
            difat = entries[-1]
        self.fat: list[int] = []
        for s in fat_sectors[:self._u32(0x2C)]:
            self.fat.extend(struct.unpack_from(f"<{self.ss // 4}I", self._sector(s)))
        self.entries = self._directory(self._u32(0x30))

    def _u16(self, at: int) -> int:
        return struct.unpack_from("<H", self.data, at)[0]

    def _u32(self, at: int) -> int:
        return struct.unpack_from("<I", self.data, at)[0]

    def _sector(self, n: int) -> bytes:
        at = (n + 1) * self.ss
        if n >= _END or at >= len(self.data):
            raise ValueError(f"sector {n} beyond the end of the file")
        return self.data[at:at + self.ss]

    def chain(self, start: int, limit: int | None = None):
        n, seen = start, 0
        while n < _END:
            if n >= len(self.fat) or seen > self.n_sectors:
                raise ValueError("a broken or looping sector chain")
            yield n
            seen += 1
            if limit is not None and seen >= limit:
                return
            n = self.fat[n]

    def _directory(self, start: int) -> dict[str, tuple[int, int, int]]:
        entries: dict[str, tuple[int, int, int]] = {}
        for k, n in enumerate(self.chain(start)):
            sector = self._sector(n)
            for at in range(0, self.ss, 128):
                raw = sector[at:at + 128]
                size = struct.unpack_from("<H", raw, 0x40)[0]
                kind = raw[0x42]
                if kind not in (1, 2, 5) or not 2 <= size <= 64:
                    continue
                name = raw[:size - 2].decode("utf-16-le", "replace")
                start_sector, length = struct.unpack_from("<II", raw, 0x74)
                entries.setdefault(name if kind != 5 else "\0root", (kind, start_sector, length))
            if k > 10_000:
                raise ValueError("directory too large")
        return entries

    def head(self, name: str, n: int) -> bytes:
        """The first ``n`` bytes of the stream ``name``."""
        _, start, size = self.entries[name]
        if size >= self.cutoff:
            return self._sector(start)[:min(n, size)]
        _, root_start, _ = self.entries["\0root"]          # a small stream lives in the mini stream
        offset = start * self.mini
        sectors = list(self.chain(root_start, offset // self.ss + 1))
        if len(sectors) <= offset // self.ss:
            raise ValueError("the mini stream is shorter than its streams")
        at = offset % self.ss
        return self._sector(sectors[offset // self.ss])[at:at + min(n, size, self.mini)]


def _streams(data: bytes) -> _Ole | None:
    try:
        return _Ole(data)
    except (ValueError, struct.error, IndexError, KeyError):
        return None


def _encrypted_docx_error() -> EncryptedInput:
    return EncryptedInput(
        "这是加密（受密码保护）的 Word 文档；请在 Word 或 WPS 中取消密码后重新保存，再转换",
        "this is an encrypted (password-protected) Word document; remove the password in Word or WPS "
        "and save it again, then convert that")


def check_word_file(data: bytes) -> str:
    """``"doc"`` or ``"rtf"`` for a file LibreOffice may be given; else the error it deserves."""
    if data.startswith(RTF_MAGIC):
        return "rtf"
    ole = _streams(data)
    if ole is None:
        raise CorruptInput("文件不是有效的 Word 97–2003 文档（OLE 复合文件结构已损坏或被截断）",
                           "the file is not a valid Word 97–2003 document (its OLE compound-file "
                           "structure is damaged or truncated)")
    if "EncryptedPackage" in ole.entries or "EncryptionInfo" in ole.entries:
        raise _encrypted_docx_error()
    if "WordDocument" not in ole.entries:
        kinds = {"Workbook": "Excel", "Book": "Excel", "PowerPoint Document": "PowerPoint"}
        what = next((v for k, v in kinds.items() if k in ole.entries), None)
        raise UnsupportedInput(
            f"这是 OLE 复合文件，但不是 Word 文档{f'（像是 {what} 文件）' if what else ''}",
            f"this is an OLE compound file but not a Word document{f' (it looks like a {what} file)' if what else ''}")
    try:
        fib = ole.head("WordDocument", 12)
    except (ValueError, struct.error, IndexError, KeyError):
        fib = b""
    if len(fib) < 12 or struct.unpack_from("<H", fib, 0)[0] not in _W_IDENT:
        raise CorruptInput("Word 文档的 WordDocument 流已损坏（文件信息块无效）",
                           "the Word document's WordDocument stream is damaged (no valid File Information Block)")
    if struct.unpack_from("<H", fib, 0x0A)[0] & _F_ENCRYPTED:
        raise EncryptedInput(
            "这是加密（受密码保护）的 Word 97–2003 文档；请在 Word 或 WPS 中取消密码后另存为 .docx 再转换",
            "this is an encrypted (password-protected) Word 97–2003 document; remove the password in Word "
            "or WPS and save it as .docx, then convert that")
    return "doc"


# == LibreOffice ===================================================================================

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = {t: f"{{{W}}}{t}"
      for t in "tbl tr tc tcPr trPr tblPrEx tcBorders vMerge gridSpan gridBefore gridAfter val".split()}
MAX_DOCUMENT_XML = 100 * 1024 * 1024


def _borders(tc) -> bool | None:
    """Does the cell draw a border?  None when it says nothing about borders."""
    pr = tc.find(_W["tcPr"])
    b = pr.find(_W["tcBorders"]) if pr is not None else None
    if b is None:
        return None
    return any(side.get(_W["val"], "nil") not in ("nil", "none") for side in b)


def _padding(tc) -> bool:
    """An empty cell without borders, not part of a merge: LibreOffice's stand-in for no cell."""
    pr = tc.find(_W["tcPr"])
    if pr is None or pr.find(_W["vMerge"]) is not None or tc.find(f".//{_W['tbl']}") is not None:
        return False
    return _borders(tc) is False and not "".join(tc.itertext()).strip()


def _span(tc) -> int:
    pr = tc.find(_W["tcPr"])
    g = pr.find(_W["gridSpan"]) if pr is not None else None
    try:
        return max(int(g.get(_W["val"], "1")), 1) if g is not None else 1
    except ValueError:
        return 1


def restore_short_rows(docx: bytes) -> tuple[bytes, int]:
    """Give LibreOffice's padded rows back their missing positions.

    Writer's tables cannot have a row shorter than the others (docx
    ``w:gridBefore``/``w:gridAfter``, a row printed short in a Word .doc): any
    document LibreOffice reads gets such a row filled up with empty cells
    without borders.  A reader sees no cell there, and neither must we — an
    empty cell reads as a blank, 0, where the report printed nothing.  In a
    table whose cells draw borders, the empty borderless cells at either end of
    a row become ``w:gridBefore``/``w:gridAfter`` again.  Returns the
    (possibly) rewritten package and how many rows were given back.
    """
    import io
    import zipfile

    from lxml import etree

    try:
        zin = zipfile.ZipFile(io.BytesIO(docx))
        info = zin.getinfo("word/document.xml")
        if info.file_size > MAX_DOCUMENT_XML:
            return docx, 0
        xml = zin.read(info)
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
            return docx, 0                    # the docx loader refuses it, with its own message
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                     huge_tree=False))
    except Exception:  # deliberately broad: anything odd: the docx loader reads (or refuses) it as it is
        return docx, 0
    restored = 0
    for tbl in root.iter(_W["tbl"]):
        checkpoint()
        rows = [tr for tr in tbl if tr.tag == _W["tr"]]
        if not any(_borders(tc) for tr in rows for tc in tr if tc.tag == _W["tc"]):
            continue
        for tr in rows:
            cells = [tc for tc in tr if tc.tag == _W["tc"]]
            after = before = 0
            while len(cells) > 1 and _padding(cells[-1]):
                after += _span(cells[-1])
                tr.remove(cells.pop())
            while len(cells) > 1 and _padding(cells[0]):
                before += _span(cells[0])
                tr.remove(cells.pop(0))
            if not (after or before):
                continue
            trpr = tr.find(_W["trPr"])
            if trpr is None:
                trpr = etree.Element(_W["trPr"])
                ex = tr.find(_W["tblPrEx"])
                tr.insert(0 if ex is None else tr.index(ex) + 1, trpr)
            for tag, n in ((_W["gridAfter"], after), (_W["gridBefore"], before)):
                if n:
                    old = trpr.find(tag)
                    if old is not None:
                        n += int(old.get(_W["val"], "0")) if old.get(_W["val"], "0").isdigit() else 0
                        trpr.remove(old)
                    trpr.insert(0, etree.Element(tag, {_W["val"]: str(n)}))
            restored += 1
    if not restored:
        return docx, 0
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if item.filename == "word/document.xml" else zin.read(item)
            zout.writestr(item, data)
    return out.getvalue(), restored

def find_soffice() -> str | None:
    import shutil

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in SOFFICE_PLACES if os.path.isfile(p) and os.access(p, os.X_OK)), None)


def _kill(proc) -> None:
    """LibreOffice's whole process group (the launcher and soffice.bin), then reap it."""
    import signal
    import subprocess

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        proc.kill()
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        pass


def convert_to_docx(data: bytes, kind: str, timeout: float | None, soffice: str) -> bytes:
    """The .docx LibreOffice makes of ``data`` (a ``kind`` file: doc or rtf)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.mkdtemp(prefix="govconv_doc_"))
    try:
        src = tmp / f"input.{kind}"
        src.write_bytes(data)
        out = tmp / "out"
        cmd = [soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--invisible",
               "--nologo", "--nodefault", "--norestore", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
        limit = timeout if timeout and timeout > 0 else None
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    cwd=tmp, start_new_session=True)
        except OSError as e:
            raise UnsupportedInput(f"无法启动 LibreOffice（{e.strerror}）；请安装：{INSTALL}",
                                   f"LibreOffice cannot be started ({e.strerror}); install it: {INSTALL}") from None
        try:
            _, err = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise InputTimeout(f"LibreOffice 转换超过 {limit:g} 秒的时间限制，已停止（--timeout）",
                               f"the conversion by LibreOffice took longer than the {limit:g} s time limit "
                               f"and was stopped (--timeout)") from None
        finally:
            if proc.poll() is None:          # stopped for any other reason (Ctrl-C, …): never left running
                _kill(proc)
        produced = out / "input.docx"
        if not produced.is_file():
            why = " ".join(err.decode("utf-8", "replace").split())[:200] or f"exit status {proc.returncode}"
            raise CorruptInput(f"LibreOffice 无法读取该文件，文件可能已损坏（{why}）",
                               f"LibreOffice cannot read the file; it may be damaged ({why})")
        if produced.stat().st_size > MAX_OUTPUT_BYTES:
            raise CorruptInput("LibreOffice 转换得到的 .docx 过大，已拒绝读取",
                               "the .docx LibreOffice made of the file is too large; refused")
        return produced.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class DocLoader(Loader):
    name = "doc"
    format = "doc"
    extensions = DOC_EXTENSIONS + RTF_EXTENSIONS
    description = "Word 97–2003 (.doc, also from WPS) and RTF, through LibreOffice (soffice) to the docx loader"
    priority = 10

    def accepts(self, source) -> float:
        data, ext = source.data, source.extension
        if data.startswith(OLE_MAGIC):
            if ext in DOC_EXTENSIONS:
                return 0.95                   # above the docx loader, which only refuses these
            ole = _streams(data)              # the header, the FAT and the directory: a few reads
            # a Word 97–2003 file under another name (.docx too); an encrypted .docx stays the docx loader's
            return 0.92 if ole is not None and "WordDocument" in ole.entries else 0.0
        if data.startswith(RTF_MAGIC):
            return 0.9 if ext in DOC_EXTENSIONS + RTF_EXTENSIONS else 0.6
        return 0.0

    def load(self, source, options) -> Document:
        kind = check_word_file(source.data)
        soffice = find_soffice()
        if soffice is None:
            raise UnsupportedInput(
                f"读取旧版 Word 文档（.doc）需要 LibreOffice，但没有找到 soffice 命令；请安装 LibreOffice，"
                f"例如 {INSTALL}（Debian/Ubuntu），或先在 Word/WPS 中将文件另存为 .docx",
                f"reading a legacy Word document (.doc) needs LibreOffice, and no soffice command was found; "
                f"install it, e.g. {INSTALL} (Debian/Ubuntu), or save the file as .docx in Word/WPS first")
        checkpoint()
        docx = convert_to_docx(source.data, kind, options.timeout, soffice)
        checkpoint()
        docx, restored = restore_short_rows(docx)
        converted = Source(docx, source.name)
        if options.read_as is not None:
            doc = options.read_as(converted, "docx")
        else:                                 # used on its own, outside the pipeline
            from govconv import default_registry

            docx_loader = default_registry().loaders.get("docx")
            if docx_loader is None:
                raise UnsupportedInput("没有安装 docx 读取器，无法读取转换后的文档",
                                       "the docx loader is not installed: the converted document cannot be read")
            doc = docx_loader.load(converted, options)
        doc.format, doc.loader = kind, self.name
        doc.properties = {**doc.properties, "converted_by": "LibreOffice", "converted_to": "docx"}
        if restored:
            doc.properties["short_rows"] = restored
        return doc


@hookimpl
def register_loaders(register):
    register(DocLoader())
