"""Loader ``txt``: plain text as Word's text export writes it.

Tables are encoded line by line: each cell is a line that starts with a tab,
rows are separated by one blank line, a lone tab is an empty (or merged-away)
cell, and lines without a tab continue the cell above (its inner line breaks;
vertical header text such as 商/业/企/业 may even sit between blank lines).
Everything else is a paragraph per line.

Decoding.  The encoding is detected: a BOM (UTF-8, UTF-16 LE/BE) is believed
first; UTF-16 without a BOM is recognised by its NUL bytes (one in every ASCII
character); otherwise UTF-8, then GBK/GB18030 (or Big5, when chardet says so).
Each candidate is read *tolerantly*: a byte that is not valid in it becomes
U+FFFD.  The candidate with the fewest bad bytes wins (ties: the order above),
and a candidate that reads cleanly ends the search.  When the winner needed
replacements, the document gets the finding ``text.decoding`` (severity
``warning``; ``values``: ``count`` — the U+FFFD characters put in,
``first_offset`` — the byte offset in the file of the first bad byte,
``encoding`` — the encoding read with), and the report is kept.

Only input that is not text at all is refused (:class:`CorruptInput`, exit
code 5): when, in every candidate encoding, either

* the bytes that cannot be decoded are more than :data:`MAX_BAD_SHARE` (1 %)
  of the file's size, or
* the binary control characters (U+0000–U+0008, U+000E–U+001F: NUL and the
  like; tab, line feed, vertical tab, form feed and carriage return are text)
  are more than :data:`MAX_CONTROL_SHARE` (10 %) of its characters,

and, either way, more than :data:`MAX_BAD_FEW` (8).  So a few bad bytes in a
report are replaced and said (and a few NULs are removed later, with the
finding ``text.nul_removed``), while an image, an archive or other binary data
is refused.  Among the candidates that are text, the one with the fewest bad
bytes — undecodable bytes plus binary control characters — wins.
"""
from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass

from govconv import Cell, Document, Finding, Loader, Origin, Paragraph, Table, hookimpl
from govconv.errors import CorruptInput
from govconv.reading.patterns import lazy

_ARTEFACT = lazy(r"\[bookmark: [^\]]*\]")
_HEADING = lazy(r"^\s*[一二三四五六七八九十]+、")
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
#: a line of vertical text (one or a few characters of a narrow header cell)
MAX_FRAGMENT = 4

#: the input is not text when its bad bytes are more than this share of its size …
MAX_BAD_SHARE = 0.01
#: … or when binary control characters are more than this share of its characters …
MAX_CONTROL_SHARE = 0.10
#: … and more than this many (a short file with a few bad bytes is still text)
MAX_BAD_FEW = 8
#: control characters no text file holds (tab, LF, VT, FF and CR are text)
_BINARY_CONTROLS = lazy("[\x00-\x08\x0e-\x1f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"))
_ERRORS = "govconv.txt-replace"
_state = threading.local()


class _TooMany(Exception):
    """A candidate encoding has more bad bytes than text may have: give it up."""


def _replace(err: UnicodeError) -> tuple[str, int]:
    """The codec error handler: count the bad bytes, put one U+FFFD for each bad sequence."""
    if not isinstance(err, UnicodeDecodeError):     # registered for decoding only
        raise err
    tally = _state.tally
    if tally.count == 0:
        tally.first = err.start
    tally.count += 1
    tally.bytes += err.end - err.start
    if tally.bytes > tally.limit:
        raise _TooMany()
    return "\ufffd", err.end


codecs.register_error(_ERRORS, _replace)


@dataclass
class _Tally:
    limit: int
    count: int = 0           # U+FFFD put in
    bytes: int = 0           # bytes they stand for
    first: int | None = None


@dataclass(frozen=True)
class Decoded:
    """The text of a file, how it was read, and what had to be replaced."""

    text: str
    encoding: str            # e.g. "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030"
    replaced: int = 0        # U+FFFD characters put in for bytes that were not valid
    first_offset: int | None = None   # byte offset (in the file) of the first bad byte
    bad: int = 0             # bad bytes: undecodable bytes plus binary control characters

    def finding(self) -> Finding | None:
        """``text.decoding`` when bytes were replaced, else None."""
        if not self.replaced:
            return None
        return Finding(
            "text.decoding", [],
            f"文本中有 {self.replaced} 处字节不是有效的 {self.encoding} 编码，已替换为 U+FFFD"
            f"（第一处在文件第 {self.first_offset} 字节）；这些位置的文字可能有误",
            f"{self.replaced} invalid byte sequence(s) for {self.encoding} were replaced with U+FFFD "
            f"(the first at byte offset {self.first_offset}); the text there may be wrong",
            values={"count": self.replaced, "first_offset": self.first_offset, "encoding": self.encoding},
            severity="warning")


def _attempt(data: bytes, skip: int, name: str, codec: str, limit: int) -> Decoded | None:
    """``data[skip:]`` read as ``codec`` with bad bytes replaced; None when it is not text
    (more than ``limit`` undecodable bytes, or too many binary control characters)."""
    tally = _Tally(limit)
    _state.tally = tally
    try:
        text = data[skip:].decode(codec, _ERRORS)
    except _TooMany:
        return None
    finally:
        _state.tally = None
    controls = len(_BINARY_CONTROLS.findall(text))
    if controls > max(MAX_BAD_FEW, int(len(text) * MAX_CONTROL_SHARE)):
        return None
    bad = tally.bytes + controls
    first = None if tally.first is None else tally.first + skip
    return Decoded(text, name, tally.count, first, bad)


def _utf16_without_bom(data: bytes) -> str | None:
    odd, even = data[1::2].count(0), data[0::2].count(0)
    if data and odd + even > len(data) // 100 and max(odd, even) > 4 * min(odd, even):
        # UTF-16 without a BOM: text files in other encodings hold no NUL, while UTF-16
        # puts one in the high byte of every ASCII character (tabs, newlines, digits)
        return "utf-16-le" if odd > even else "utf-16-be"
    return None


def _chinese_guess(data: bytes) -> str | None:
    """Big5 when chardet says so (GB18030 is always tried: GBK is a subset of it)."""
    import chardet  # only when the text is not clean UTF-8

    guess = (chardet.detect(data[:200_000]).get("encoding") or "").lower().replace("_", "-")
    # a Chinese report is GB18030 or Big5; any other guess (latin-1, …) would be mojibake
    return guess if guess in ("big5", "big5hkscs") else None


def read_text(data: bytes) -> Decoded:
    """The text of ``data``, read in the encoding that needs the fewest replacements.

    Raises :class:`CorruptInput` when the data is not text in any of them (see the module docstring).
    """
    limit = max(MAX_BAD_FEW, int(len(data) * MAX_BAD_SHARE))
    bom = next(((len(b), name, codec) for b, name, codec in _BOMS if data.startswith(b)), None)
    skip = bom[0] if bom else 0
    utf16 = None if bom else _utf16_without_bom(data)
    first = [c for c in (bom, (0, utf16, utf16) if utf16 else None) if c] + [(skip, "utf-8", "utf-8")]
    best: Decoded | None = None

    def better(candidates) -> bool:
        """Try each candidate in turn; True once one reads cleanly."""
        nonlocal best
        for skip_, name, codec in candidates:
            got = _attempt(data, skip_, name, codec, limit if best is None else min(limit, best.bad - 1))
            if got is not None and (best is None or got.bad < best.bad):
                best = got
                if not got.bad:
                    return True
        return False

    if not better(first):
        guess = _chinese_guess(data[skip:])
        better(([(skip, guess, guess)] if guess else []) + [(skip, "gb18030", "gb18030")])
    if best is None:
        raise CorruptInput(
            "不是文本文件：无论按 UTF-8、UTF-16 还是 GBK/GB18030 读取，都有超过 1% 的字节无法解码"
            "（或超过 10% 的字符是二进制控制字符），无法识别文本编码",
            "not a text file: read as UTF-8, UTF-16 or GBK/GB18030 alike, more than 1% of its bytes cannot be "
            "decoded (or more than 10% of its characters are binary control characters); "
            "cannot tell the text encoding")
    return best


def decode(data: bytes) -> tuple[str, str]:
    """The text (bad bytes replaced with U+FFFD) and the name of the encoding it was read with."""
    d = read_text(data)
    return d.text, d.encoding


def _blank(line: str) -> bool:
    return not line.strip() and not line.startswith("\t")


def _is_fragment(line: str) -> bool:
    s = line.strip()
    return bool(s) and not line.startswith("\t") and len(s) <= MAX_FRAGMENT


def _continues_cell(lines: list[str], k: int) -> bool:
    """Do the untabbed lines from ``k`` continue the cell above (vertical text) and the row go on?"""
    while k < len(lines) and _is_fragment(lines[k]):
        k += 1
        if k < len(lines) and lines[k].startswith("\t"):
            return True
        if k + 1 < len(lines) and _blank(lines[k]) and _is_fragment(lines[k + 1]):
            k += 1
            continue
        return False
    return False


def parse_text(text: str) -> list:
    lines = _ARTEFACT.sub("", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.startswith("\t"):
            if line.strip():
                blocks.append(Paragraph(line.replace("\t", " ").strip(), Origin(line=i + 1)))
            i += 1
            continue
        table = Table(origin=Origin(line=i + 1), grid=False)   # a row is a sequence of cells
        row, col = 0, 0
        cell: Cell | None = None
        while i < n:
            line = lines[i]
            if line.startswith("\t"):
                cell = table.add(Cell(line[1:].replace("\t", " "), row, col, origin=Origin(line=i + 1)))
                col += 1
                i += 1
            elif not line.strip():
                j = i
                while j < n and _blank(lines[j]):
                    j += 1
                if j - i == 1 and cell is not None and _continues_cell(lines, j):
                    while j < n and not lines[j].startswith("\t"):
                        if lines[j].strip():
                            cell.text += "\n" + lines[j]
                        j += 1
                    i = j
                elif j - i == 1 and j < n and lines[j].startswith("\t"):
                    row, col, i = row + 1, 0, j
                else:
                    break
            elif _HEADING.match(line):
                break
            else:
                assert cell is not None         # the table's first line is a tabbed one: a cell
                cell.text += "\n" + line
                i += 1
        blocks.append(table)
    return blocks


class TxtLoader(Loader):
    name = "txt"
    format = "txt"
    extensions = ("txt", "text")
    description = "plain text (Word's text export: tab-prefixed table cells); UTF-8, UTF-16, GBK/GB18030"

    def accepts(self, source) -> float:
        if source.head.startswith(_BINARY_MAGIC):
            return 0.0
        if source.extension in self.extensions:
            return 0.9
        return 0.1 if b"\n\t" in source.data[:65536] else 0.0

    def load(self, source, options) -> Document:
        d = read_text(source.data)
        finding = d.finding()
        return Document(parse_text(d.text), format=self.format, loader=self.name,
                        properties={"encoding": d.encoding}, findings=[finding] if finding else [])


@hookimpl
def register_loaders(register):
    register(TxtLoader())
