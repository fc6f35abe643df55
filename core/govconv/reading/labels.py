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
    """The key whose labels are most similar to ``text`` (at least ``threshold``), and the score.
    Matching many texts against the same candidates: :func:`matcher_for` once, then its ``match``."""
    return matcher_for(candidates, threshold).match(text)


def matcher_for(candidates: dict[str, tuple[str, ...]], threshold: float = 0.8) -> "Matcher":
    """The (shared, memoised) :class:`Matcher` of these candidates: key → labels."""
    return matcher(tuple((k, tuple(v)) for k, v in candidates.items()), threshold)


class Matcher:
    """The best of fixed candidate labels for a text: exact hits first, fuzzy only for the rest, memoised.

    A text whose folded form (:func:`norm`) is a candidate's scores 1.0; one
    whose :func:`core` (no numbering, no punctuation) is a candidate's, 0.99;
    only a text that is neither is compared character by character
    (difflib), against labels of four characters or more.  Results are kept
    per text: a template's labels meet the same texts in report after report.
    """

    def __init__(self, candidates: tuple[tuple[str, tuple[str, ...]], ...], threshold: float):
        self.threshold = threshold
        self.by_norm: dict[str, str] = {}
        self.by_core: dict[str, str] = {}
        self.fuzzy: list[tuple[str, str]] = []
        for key, labels in candidates:
            for label in labels:
                n, c = norm(label), core(label)
                if n:
                    self.by_norm.setdefault(n, key)
                if c:
                    self.by_core.setdefault(c, key)
                    if len(c) >= 4:
                        self.fuzzy.append((key, c))
        self.memo: dict[str, tuple[str | None, float]] = {}

    def match(self, text: str) -> tuple[str | None, float]:
        hit = self.memo.get(text)
        if hit is None:
            hit = self._match(text)
            if len(self.memo) < 65536:
                self.memo[text] = hit
        return hit

    def _match(self, text: str) -> tuple[str | None, float]:
        n = norm(text)
        if not n:
            return None, 0.0
        if n in self.by_norm:
            return self.by_norm[n], 1.0
        c = core(text)
        if not c:
            return None, 0.0
        if c in self.by_core:
            return self.by_core[c], 0.99
        best, score = None, 0.0
        if len(c) >= 4:
            sm = SequenceMatcher(None, autojunk=False)
            sm.set_seq2(c)
            for key, label in self.fuzzy:
                sm.set_seq1(label)
                if sm.real_quick_ratio() <= score or sm.quick_ratio() <= score:
                    continue
                r = sm.ratio()
                if r > score:
                    best, score = key, r
        return (best, score) if score >= self.threshold else (None, score)


@lru_cache(maxsize=1024)
def matcher(candidates: tuple[tuple[str, tuple[str, ...]], ...], threshold: float = 0.8) -> Matcher:
    """The (shared, memoised) matcher for these candidates."""
    return Matcher(candidates, threshold)
