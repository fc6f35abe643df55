"""Agency names: what a name printed in a report looks like, and one key per body for a series.

A series of reports stands on knowing who wrote each one, and one body is
printed under several names: ``淮安市洪泽区人民政府`` one year, ``洪泽区人民政府``
the next; ``武林街道办事处`` and ``武林街道``; ``清凉峰镇人民政府`` and ``清凉峰镇``.
:func:`normalise_agency` folds those spellings to one key, by the rules below,
and a user's alias table (:func:`load_aliases`) adds what no rule can know
(a county that became a district, a body renamed).

The rules, in order (each is a documented, conservative step; a name that does
not fit one is left as it is):

1. **Folding**: NFKC (full-width letters, digits and brackets become ASCII),
   every kind of white space removed (ordinary, no-break, ideographic,
   zero-width, BOM).
2. **Leading province and city**: a prefix of province- or prefecture-level
   names (``江苏省``, ``淮安市``, ``…自治区``, ``…自治州``, ``…地区``, ``…盟``)
   is removed when what follows starts with a county-level name (``…区``,
   ``…县``, ``…市``, ``…旗``, ``…自治县``, ``…新区``): ``江苏省淮安市洪泽区人民政府``
   → ``洪泽区人民政府``, ``苏州市昆山市人民政府`` → ``昆山市人民政府``.  The
   prefix stays when nothing county-level follows (``淮安市人民政府``,
   ``淮安市市场监督管理局``) or when what follows is a development zone
   (``…开发区``, ``…园区``, ``…高新区`` …: many cities have one of the same name).
3. **Suffix variants of one body**: ``街道办事处`` / ``街道办`` → ``街道``;
   ``镇人民政府`` / ``镇政府`` → ``镇`` (乡 alike); ``区政府`` → ``区人民政府`` (and
   省/市/县/旗/州); ``管委会`` → ``管理委员会``.  A body's *office* stays a
   different body: ``洪泽区人民政府办公室`` is not ``洪泽区人民政府``.

Step 2 makes two same-named districts of different cities (北京市朝阳区,
长春市朝阳区) one key; a corpus holding both gives each its own canonical name
in the alias table (an exact name listed there is never stripped, and a short
name that could be either is left alone, see :func:`normalise_agency`).

The alias file (``--aliases FILE``) is a JSON object ``{"name": "canonical
name", …}`` or a text file of lines ``name<TAB>canonical`` or
``name,canonical`` (UTF-8; ``#`` starts a comment; a first line
``name,canonical`` or ``alias,canonical`` is a header).
"""
from __future__ import annotations

import json
import re

from govconv.reading.patterns import lazy
import unicodedata
from collections.abc import Mapping
from pathlib import Path

__all__ = ["AgencyAliases", "canonical_agency", "fold_name", "is_agency_name", "load_aliases",
           "normalise_agency"]

_WHITE = lazy(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_HAN = "\u4e00-\u9fff"
#: a province- or prefecture-level name, one segment of a leading prefix
_REGION = lazy(rf"[{_HAN}]{{2,8}}?(?:自治区|省|自治州|地区|市|盟)")
#: a county-level name at the start of what follows the prefix
_COUNTY = lazy(rf"^[{_HAN}]{{1,6}}?(?:自治县|自治旗|新区|区|县|市|旗)")
#: zones many cities share a name for: a prefix before them stays
_ZONE = lazy(r"(?:开发区|园区|高新区|保税区|示范区|试验区|实验区|合作区|名胜区|度假区|功能区|产业区|集聚区)$")
_SUFFIX_VARIANTS = (
    (re.compile(r"街道(?:办事处|办)$"), "街道"),
    (re.compile(r"([镇乡])(?:人民)?政府$"), r"\1"),
    (re.compile(r"(?<=[省市区县旗州])政府(?=办公室$|办公厅$|$)"), "人民政府"),
    (re.compile(r"管委会"), "管理委员会"),
)

#: how the name of a body ends (for reading one from a report's text)
AGENCY_SUFFIX = lazy(
    r"(?:街道办事处|街道办|街道|人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|办事处|"
    r"管理委员会|管委会|委员会|办公室|办公厅|局|厅|委|办|署|中心|镇|乡|苏木|院|所|站|队|处)$")
#: a name that is only a kind of body, or starts with a word pointing at one ("本街道", "区行政审批办"):
#: a place name cut off, never an agency
_NOT_A_NAME_START = lazy(
    r"^(?:我|该|各|其|此|上级|下属|所属|村|社区|街道|区|县|省|市(?!中区)|[镇乡](?:人民政府|政府|党委|机关)"
    r"|本(?:机关|单位|部门|局|委|办|街道|镇|乡|区|市|县|级|院|厅|中心)|全(?:省|市|区|县|镇|乡|街道|系统))")
_PUNCT = lazy(r"[^\w()（）·]")


def fold_name(name: str) -> str:
    """NFKC, no white space of any kind (step 1)."""
    return _WHITE.sub("", unicodedata.normalize("NFKC", name))


def _strip_region(name: str) -> str:
    """Step 2: the leading province/prefecture names, when a county-level name follows."""
    ends, pos = [], 0
    while True:
        m = _REGION.match(name, pos)
        if not m:
            break
        pos = m.end()
        ends.append(pos)
    for end in reversed(ends):                 # the longest prefix that leaves a county-level name
        rest = name[end:]
        c = _COUNTY.match(rest)
        if c and not _ZONE.search(c.group(0)):
            return rest
    return name


def canonical_agency(name: str) -> str:
    """Steps 1–3 without aliases: the key of a name as the rules alone see it."""
    n = _strip_region(fold_name(name))
    for pattern, repl in _SUFFIX_VARIANTS:
        n = pattern.sub(repl, n)
    return n


class AgencyAliases(dict):
    """An alias table: name → canonical name (a dict), with the look-ups
    :func:`normalise_agency` needs built once.  :func:`load_aliases` returns one;
    ``AgencyAliases({...})`` makes one from a mapping."""

    _index: tuple[dict[str, str], dict[str, str]] | None = None

    def index(self) -> tuple[dict[str, str], dict[str, str]]:
        if self._index is None:
            self._index = _build_index(self)
        return self._index

    def __setitem__(self, key, value):
        self._index = None
        super().__setitem__(key, value)

    def update(self, *args, **kwargs):
        self._index = None
        super().update(*args, **kwargs)


def _build_index(aliases: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(exact: folded name → folded canonical, by_rule: canonical key → folded canonical).
    ``by_rule`` holds the rules' key of every listed name and of every canonical name;
    a key that two different canonical names claim is dropped (ambiguous: left alone)."""
    exact: dict[str, str] = {}
    by_rule: dict[str, str] = {}
    clash: set[str] = set()
    for k, v in aliases.items():
        if not isinstance(k, str) or not isinstance(v, str):
            continue
        fk, fv = fold_name(k), fold_name(v)
        if not fk or not fv:
            continue
        exact[fk] = fv
        for key in (canonical_agency(fk), canonical_agency(fv)):
            if by_rule.get(key, fv) != fv:
                clash.add(key)
            by_rule[key] = fv
    for key in clash:
        del by_rule[key]
    return exact, by_rule


def normalise_agency(name: str | None, aliases: Mapping[str, str] | None = None) -> str | None:
    """The key that makes one body's reports one series: ``name`` folded, stripped of a
    leading province/city and with its suffix variants unified (see the module's rules);
    None for no name.

    ``aliases`` (name → canonical name, e.g. from :func:`load_aliases`): a name listed
    exactly (after folding) becomes its canonical name, folded and otherwise untouched;
    else a name whose rules' key is the key of a listed name or of a canonical name becomes
    that canonical name — unless two different canonical names share that key (then the
    rules' key is returned, joining neither).  A canonical name that is itself listed is
    followed (a → b, b → c gives c; at most 8 steps, cycles stop)."""
    if name is None:
        return None
    folded = fold_name(name)
    if not folded:
        return None
    if not aliases:
        return canonical_agency(folded) or None
    exact, by_rule = aliases.index() if isinstance(aliases, AgencyAliases) else _build_index(aliases)
    if folded in exact:
        out = exact[folded]
    else:
        key = canonical_agency(folded)
        if key not in by_rule:
            return key or None
        out = by_rule[key]
    seen = {folded}
    for _ in range(8):                         # follow a canonical name that is itself an alias
        if out in seen or out not in exact or exact[out] == out:
            break
        seen.add(out)
        out = exact[out]
    return out


def load_aliases(path: str | Path) -> AgencyAliases:
    """The alias table in ``path``: a JSON object ``{name: canonical}``, or text lines
    ``name<TAB>canonical`` / ``name,canonical`` (``#`` comments, blank lines and a header
    ``name,canonical`` / ``alias,canonical`` skipped).  Raises :class:`~govconv.errors.InputNotFound`
    for a missing file and :class:`~govconv.errors.UsageError` for one that is not such a table."""
    from govconv.errors import InputNotFound, UsageError
    path = str(path)
    try:
        text = Path(path).read_text("utf-8-sig")
    except FileNotFoundError:
        raise InputNotFound("别名文件不存在", "no such aliases file", path=path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"无法读取别名文件（{e}）", f"cannot read the aliases file ({e})", path=path) from None
    if text.lstrip().startswith("["):
        raise UsageError("别名文件应为 {名称: 规范名称} 形式的 JSON 对象",
                         "the aliases file must be a JSON object {name: canonical name}", path=path)
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as e:
            raise UsageError(f"别名文件不是有效的 JSON（{e}）", f"the aliases file is not valid JSON ({e})",
                             path=path) from None
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) and k.strip()
                                                 and v.strip() for k, v in data.items()):
            raise UsageError("别名文件应为 {名称: 规范名称} 形式的 JSON 对象",
                             "the aliases file must be a JSON object {name: canonical name}", path=path)
        return AgencyAliases({k.strip(): v.strip() for k, v in data.items()})
    out = AgencyAliases()
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        sep = "\t" if "\t" in line else ","
        name, found, canonical = line.partition(sep)
        name, canonical = name.strip(), canonical.strip()
        if not found or not name or not canonical or sep in canonical:
            raise UsageError(f"别名文件第 {n} 行应为「名称<TAB>规范名称」或「名称,规范名称」",
                             f"line {n} of the aliases file is not 'name<TAB>canonical' or 'name,canonical'",
                             path=path)
        if not out and name.lower() in ("name", "alias") and canonical.lower() == "canonical":
            continue                           # the header
        out[name] = canonical
    return out


def is_agency_name(name: str) -> bool:
    """A plausible name of a body, as a report prints it: a few characters ending in a kind of
    body (局, 办公室, 街道, 人民政府 …), not starting with a word that points at one
    (本/我/全/该…, or a bare 区/市/街道: the place name cut off), without punctuation."""
    n = fold_name(name)
    if not 3 <= len(n) <= 40 or _PUNCT.search(n) or re.search(r"\d", n):
        return False
    s = AGENCY_SUFFIX.search(n)
    if not s or s.start() < 2:
        return False
    return not _NOT_A_NAME_START.match(n)
