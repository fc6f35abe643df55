"""Loader ``txt``: plain text as Word's text export writes it.

Tables are encoded line by line: each cell is a line that starts with a tab,
rows are separated by one blank line, a lone tab is an empty (or merged-away)
cell, and lines without a tab continue the cell above (its inner line breaks;
vertical header text such as 商/业/企/业 may even sit between blank lines).
Everything else is a paragraph per line.  The encoding is detected: UTF-8
(with or without BOM), UTF-16 and GBK/GB18030.
"""
from __future__ import annotations

import codecs
import re

from govconv import Cell, Document, Loader, Origin, Paragraph, Table, hookimpl
from govconv.errors import CorruptInput

_ARTEFACT = re.compile(r"\[bookmark: [^\]]*\]")
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、")
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
#: a line of vertical text (one or a few characters of a narrow header cell)
MAX_FRAGMENT = 4


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was read with."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    odd, even = data[1::2].count(0), data[0::2].count(0)
    if data and odd + even > len(data) // 100 and max(odd, even) > 4 * min(odd, even):
        # UTF-16 without a BOM: text files in other encodings hold no NUL, while UTF-16
        # puts one in the high byte of every ASCII character (tabs, newlines, digits)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import chardet  # only when the text is not UTF-8

    guess = (chardet.detect(data[:200_000]).get("encoding") or "").lower().replace("_", "-")
    if guess.replace("-", "") in ("gb2312", "gbk", "gb18030", "hzgb2312", "iso2022cn"):
        guess = "gb18030"      # GBK is a subset of GB18030: read every GBK file as GB18030
    # a Chinese report is GB18030 or Big5; any other guess (latin-1, …) would be mojibake
    candidates = [guess] if guess in ("gb18030", "big5", "big5hkscs") else []
    for enc in candidates + ["gb18030"]:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise CorruptInput("无法识别文本编码（不是 UTF-8、UTF-16 或 GBK/GB18030）",
                       "cannot tell the text encoding (not UTF-8, UTF-16 or GBK/GB18030)")


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
        text, encoding = decode(source.data)
        return Document(parse_text(text), format=self.format, loader=self.name,
                        properties={"encoding": encoding})


@hookimpl
def register_loaders(register):
    register(TxtLoader())
