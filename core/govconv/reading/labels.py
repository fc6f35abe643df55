"""Tolerant matching of the labels printed in report tables.

Real reports print the same label many ways: with spaces or line breaks inside
it, ``1.`` or ``1、`` or ``（一）`` in front, full-width or half-width forms,
curly or straight quotes, and the odd typo.  :func:`norm` folds the forms,
:func:`core` also drops the numbering, and :func:`similarity` scores the rest.

Characters that are never part of a label are folded out before anything is
compared: control characters (NUL among them), Unicode non-characters
(U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of every plane), U+FFFD (what a loader puts
for bytes that were not text), zero-width and format characters.  Only the
matching sees the folded text: the cell's own text is kept as it was printed.
"""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

_NUM = "一二三四五六七八九十"
_DROP = re.compile(r"[\s\u00a0\u3000\u200b\ufeff\"'“”‘’「」『』《》〈〉·•]")
#: never part of a label: C0/C1 controls (NUL…), zero-width and direction marks, the BOM,
#: non-characters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF in every plane) and U+FFFD
_NOISE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
                    "\ufdd0-\ufdef\ufffd\ufffe\uffff"
                    + "".join(f"{chr(p * 0x10000 + 0xfffe)}{chr(p * 0x10000 + 0xffff)}" for p in range(1, 17))
                    + "]")
_NUMBERING = re.compile(
    rf"^(?:[{_NUM}]+[、.,]|\([{_NUM}\d]+\)|\d+[.、,](?!\d)|第[{_NUM}\d]+[项条])+")
_PUNCT = re.compile(r"[，,。.、:：;；()（）\[\]【】/／\-—_]")


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Fold forms: NFKC, no white space, quotes, control characters or non-characters."""
    s = _DROP.sub("", unicodedata.normalize("NFKC", _NOISE.sub("", text or "")))
    # dropping a space NFKC produced (¨ → space + U+0308) can leave a sequence it composes: fold again
    return unicodedata.normalize("NFKC", s) if not s.isascii() else s


@lru_cache(maxsize=8192)
def core(text: str) -> str:
    """:func:`norm` without leading numbering (``一、`` ``（三）`` ``1.``) and punctuation."""
    s = norm(text)
    prev = None
    while prev != s:
        prev, s = s, _NUMBERING.sub("", s)
    return _PUNCT.sub("", s)


def similarity(a: str, b: str) -> float:
    """1.0 for the same label however it is printed; less for typos; 0 for unrelated text."""
    na, nb = norm(a), norm(b)
    if not na or not nb:            # nothing but spaces, controls, non-characters: no label at all
        return 0.0
    if na == nb:
        return 1.0
    ca, cb = core(a), core(b)
    if not ca or not cb:
        return 0.0
    if ca == cb:
        return 0.99
    if min(len(ca), len(cb)) < 4:
        return 0.0          # short labels must match exactly: 其他 is not 其他处理
    return SequenceMatcher(None, ca, cb, autojunk=False).ratio()


def best_match(text: str, candidates: dict[str, tuple[str, ...]], threshold: float = 0.8
               ) -> tuple[str | None, float]:
    """The key whose labels are most similar to ``text`` (at least ``threshold``), and the score."""
    best, score = None, 0.0
    for key, labels in candidates.items():
        for label in labels:
            s = similarity(text, label)
            if s > score:
                best, score = key, s
    return (best, score) if score >= threshold else (None, score)


def contains(haystack: str, needle: str) -> bool:
    return core(needle) in core(haystack)
