"""Corrections: a person's values for cells, kept apart from what was read.

A person who has looked at a report (``govconv review``) may correct a cell.
The corrections live in a file of their own, never in the reading::

    {"corrections": [
      {"sha256": "4a81d0f7…", "address": "applications.new.total", "value": 95,
       "reason": "printed 59, the sum of the row is 95"}
    ]}

(YAML with the same shape is read too when PyYAML is installed.)  Each
correction names the report by its source's sha256, the cell by its address,
the value and why; ``by`` (who) is optional.

* :func:`load_corrections` reads and checks the file (a bad file is a
  :class:`CorrectionsError`, a usage error, exit 2).
* :func:`apply_corrections` sets the corrected cells of one report: each keeps
  its raw reading (``raw``; the value read is kept in ``CellValue.correction``
  with the reason and the file) and is no longer in doubt.  Corrections for
  other reports are ignored; a correction for a cell the layout does not have,
  or a value its column cannot hold, is refused.
* :func:`recheck` evaluates the consistency rules again, so a corrected cell
  clears the finding it caused (or raises one it now breaks).

A correction whose sha256 matches no input at all is for the caller to report
(:meth:`Corrections.unmatched`).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from govconv.errors import InputNotFound, UsageError
from govconv.model.report import Finding, Number, Report
from govconv.model.values import AMOUNT, AMOUNT_DECIMALS, AMOUNT_LIMIT, INT64_MAX, INT64_MIN, SIGNED

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ADDRESS = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_FIELDS = ("sha256", "address", "value", "reason", "by")
_REQUIRED = ("sha256", "address", "value", "reason")
#: a corrections file larger than this is not read (it is written by hand)
MAX_BYTES = 16 * 1024 * 1024


class CorrectionsError(UsageError):
    """A corrections file that cannot be used: unreadable, malformed, or naming a cell the
    report's layout does not have.  A usage error (exit 2), naming the file."""

    kind = "corrections"


@dataclass(frozen=True)
class Correction:
    sha256: str
    address: str
    value: Number | None
    reason: str
    by: str | None = None
    #: the corrections file it comes from, and its 1-based position there
    file: str | None = None
    number: int = 0

    @property
    def where(self) -> tuple[str, str]:
        """``第 N 条更正`` / ``correction N``, for messages."""
        return f"第 {self.number} 条更正（{self.address}）", f"correction {self.number} ({self.address})"


@dataclass
class Corrections:
    items: list[Correction] = field(default_factory=list)
    path: str | None = None

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def for_report(self, sha256: str | None) -> list[Correction]:
        return [c for c in self.items if c.sha256 == sha256]

    @property
    def sha256s(self) -> set[str]:
        return {c.sha256 for c in self.items}

    def unmatched(self, seen: Iterable[str | None]) -> list[Correction]:
        """The corrections whose sha256 is none of ``seen`` (the inputs' sha256s)."""
        have = {s for s in seen if s}
        return [c for c in self.items if c.sha256 not in have]

    @staticmethod
    def unmatched_message(unmatched: list[Correction]) -> tuple[str, str]:
        """One line, zh and en, for corrections that matched no input."""
        shas = sorted({c.sha256[:12] for c in unmatched})
        return (f"{len(unmatched)} 条更正没有对应的输入（sha256 {', '.join(shas)}…），未使用",
                f"{len(unmatched)} correction(s) match no input (sha256 {', '.join(shas)}…) and were not used")


# -- reading the file ----------------------------------------------------------------------------

def load_corrections(path: str | Path) -> Corrections:
    """The corrections in ``path`` (JSON; YAML when PyYAML is installed), checked."""
    name = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise InputNotFound("更正文件是一个目录", "the corrections file is a directory", path=name)
        with p.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputNotFound("更正文件不存在", "the corrections file does not exist", path=name) from None
    except OSError as e:
        raise InputNotFound(f"无法读取更正文件（{e.strerror}）", f"cannot read the corrections file ({e.strerror})",
                            path=name) from None
    if len(data) > MAX_BYTES:
        raise CorrectionsError(f"更正文件超过 {MAX_BYTES // 1024 // 1024} MB", f"the corrections file is larger "
                               f"than {MAX_BYTES // 1024 // 1024} MB", path=name)
    return parse_corrections(data, name)


def parse_corrections(data: bytes | str, name: str | None = None) -> Corrections:
    """The corrections in ``data`` (the text of a corrections file), checked; ``name`` names it."""
    def bad(zh: str, en: str) -> CorrectionsError:
        return CorrectionsError(zh, en, path=name)

    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise bad("更正文件不是 UTF-8 文本", "the corrections file is not UTF-8 text") from None
    else:
        text = data
    doc = _parse_text(text, name, bad)
    if isinstance(doc, list):
        raise bad("更正文件应为对象 {\"corrections\": [...]}，而不是列表",
                  'a corrections file is an object {"corrections": [...]}, not a list')
    if not isinstance(doc, dict) or "corrections" not in doc:
        raise bad("更正文件应为对象 {\"corrections\": [...]}", 'a corrections file is an object {"corrections": [...]}')
    extra = sorted(set(doc) - {"corrections"})
    if extra:
        raise bad(f"更正文件中有未知的键：{', '.join(extra)}", f"unknown key(s) in the corrections file: "
                  f"{', '.join(extra)}")
    items = doc["corrections"]
    if not isinstance(items, list):
        raise bad("\"corrections\" 应为列表", '"corrections" must be a list')
    out: list[Correction] = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(items, 1):
        out.append(_correction(item, i, name, bad))
        key = (out[-1].sha256, out[-1].address)
        if key in seen:
            raise bad(f"第 {i} 条更正与第 {seen[key]} 条针对同一报告的同一单元格 {key[1]}",
                      f"corrections {seen[key]} and {i} are for the same cell {key[1]} of the same report")
        seen[key] = i
    return Corrections(out, name)


def _parse_text(text: str, name: str | None, bad):
    is_yaml = bool(name and name.lower().endswith((".yaml", ".yml")))
    if not is_yaml:
        try:
            return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
        except (json.JSONDecodeError, ValueError) as e:
            if text.lstrip().startswith(("{", "[")):
                line = f"（第 {e.lineno} 行）" if isinstance(e, json.JSONDecodeError) else ""
                where = f" (line {e.lineno})" if isinstance(e, json.JSONDecodeError) else ""
                raise bad(f"更正文件不是有效的 JSON{line}：{getattr(e, 'msg', e)}",
                          f"the corrections file is not valid JSON{where}: {getattr(e, 'msg', e)}") from None
    try:
        import yaml
    except ImportError:
        raise bad("更正文件不是有效的 JSON（读取 YAML 需要安装 PyYAML）",
                  "the corrections file is not valid JSON (reading YAML needs PyYAML)") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where_zh, where_en = (f"（第 {mark.line + 1} 行）", f" (line {mark.line + 1})") if mark else ("", "")
        raise bad(f"更正文件不是有效的 JSON 或 YAML{where_zh}", f"the corrections file is not valid JSON or "
                  f"YAML{where_en}") from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a cell can hold")


def _correction(item, i: int, name: str | None, bad) -> Correction:
    if not isinstance(item, dict):
        raise bad(f"第 {i} 条更正应为对象", f"correction {i} must be an object")
    unknown = sorted(str(k) for k in item if k not in _FIELDS)
    if unknown:
        raise bad(f"第 {i} 条更正有未知的键：{', '.join(unknown)}（可用：{', '.join(_FIELDS)}）",
                  f"correction {i} has unknown key(s): {', '.join(unknown)} (known: {', '.join(_FIELDS)})")
    missing = [k for k in _REQUIRED if k not in item]
    if missing:
        raise bad(f"第 {i} 条更正缺少：{', '.join(missing)}", f"correction {i} lacks: {', '.join(missing)}")
    sha = item["sha256"]
    if not isinstance(sha, str) or not _SHA256.match(sha.strip().lower()):
        raise bad(f"第 {i} 条更正的 sha256 应为 64 位十六进制数", f"correction {i}: sha256 must be 64 hex digits")
    address = item["address"]
    if not isinstance(address, str) or not _ADDRESS.match(address.strip()):
        raise bad(f"第 {i} 条更正的单元格地址 {address!r} 无效（应为 表.行.列，如 applications.new.total）",
                  f"correction {i}: {address!r} is not a cell address (table.row.column, e.g. "
                  f"applications.new.total)")
    reason = item["reason"]
    if not isinstance(reason, str) or not reason.strip():
        raise bad(f"第 {i} 条更正须说明理由（reason）", f"correction {i} needs a reason")
    by = item.get("by")
    if by is not None and not isinstance(by, str):
        raise bad(f"第 {i} 条更正的 by 应为文字", f"correction {i}: by must be text")
    value = _number(item["value"])
    if value is _INVALID:
        raise bad(f"第 {i} 条更正的值 {item['value']!r} 不是数字", f"correction {i}: the value {item['value']!r} "
                  f"is not a number")
    return Correction(sha.strip().lower(), address.strip(), value, reason.strip(), by, name, i)


_INVALID = object()


def _number(v):
    """A JSON/YAML value as a cell's number: int, Decimal, or None; ``_INVALID`` otherwise."""
    if v is None:
        return None
    if isinstance(v, bool):
        return _INVALID
    if isinstance(v, int):
        return v
    if isinstance(v, (float, Decimal, str)):
        try:
            d = v if isinstance(v, Decimal) else Decimal(str(v).strip())
        except InvalidOperation:
            return _INVALID
        return d if d.is_finite() else _INVALID
    return _INVALID


# -- applying them -------------------------------------------------------------------------------

def apply_corrections(report: Report, corrections: Corrections | Iterable[Correction], template=None) -> list[str]:
    """Set the cells ``corrections`` name for this report (by its source's sha256); returns the
    addresses corrected, in the file's order.  ``template``: the report's layout's template (the
    report's own tables when None), which says which cells exist and what each column holds.

    Each corrected cell keeps ``raw`` as read; ``CellValue.correction`` records the value read
    (the first one, when a cell is corrected twice), the reason and the file.  A corrected cell
    is no longer in doubt (``uncertain`` False; ``uncertain_read`` remembers it was).
    Raises :class:`CorrectionsError` for a cell the layout does not have or a value its column
    cannot hold; nothing is changed then."""
    items = list(corrections)
    mine = [c for c in items if c.sha256 == report.source.sha256 or (not report.source.sha256
                                                                     and c.sha256 == report.key)]
    planned: list[tuple[Correction, Number | None]] = []
    for c in mine:
        planned.append((c, _checked_value(c, _column(report, template, c))))
    done: list[str] = []
    for c, value in planned:
        cell = report.cell(c.address)
        before = cell.correction
        cell.correction = {"value_read": before["value_read"] if before else cell.value,
                           "reason": c.reason, "file": c.file}
        if c.by:
            cell.correction["by"] = c.by
        if (before and before.get("uncertain_read")) or cell.uncertain:
            cell.correction["uncertain_read"] = True
        cell.value = value
        cell.uncertain = False
        done.append(c.address)
    return done


def _column(report: Report, template, c: Correction):
    """The column spec of the corrected cell (None when only the report's tables are known),
    or :class:`CorrectionsError` when the layout has no such cell."""
    t, r, col = c.address.split(".")
    zh, en = c.where

    def refuse():
        return CorrectionsError(f"{zh}：版式 {report.layout} 没有这个单元格", f"{en}: the layout {report.layout} "
                                f"has no such cell", path=c.file)

    spec = None
    if template is not None:
        try:
            table = template.table(t)
            row = next(x for x in table.rows if x.key == r)
        except StopIteration:
            raise refuse() from None
        if col not in (row.columns if row.columns is not None else tuple(x.key for x in table.columns)):
            raise refuse()
        spec = table.column(col)
    try:
        report.cell(c.address)
    except KeyError:
        raise refuse() from None
    return spec


def _checked_value(c: Correction, column) -> Number | None:
    """The value as the column holds it, or :class:`CorrectionsError`."""
    v = c.value
    if v is None:
        return None
    kind = getattr(column, "kind", None)
    zh, en = c.where

    def refuse(why_zh: str, why_en: str):
        return CorrectionsError(f"{zh}：值 {v} {why_zh}", f"{en}: the value {v} {why_en}", path=c.file)

    if kind == AMOUNT:
        d = Decimal(v)
        if d.copy_abs() >= AMOUNT_LIMIT:
            raise refuse("超出金额的范围", "is beyond the range of an amount")
        if d != d.quantize(Decimal(1).scaleb(-AMOUNT_DECIMALS)):
            raise refuse(f"的小数超过 {AMOUNT_DECIMALS} 位", f"has more than {AMOUNT_DECIMALS} decimals")
        return int(d) if d == d.to_integral_value() else d
    if isinstance(v, Decimal):
        if v != v.to_integral_value():
            if kind is None:
                return v      # a table without its template: the number as given
            raise refuse("不是整数（该列为件数）", "is not a whole number (the column is a count)")
        v = int(v)
    if not INT64_MIN <= v <= INT64_MAX:
        raise refuse("超出 64 位整数的范围", "is beyond the signed 64-bit range")
    if v < 0 and kind not in (SIGNED, None):
        raise refuse("为负数（该列为件数，不能为负）", "is negative (the column is a count)")
    return v


# -- the checks, again ---------------------------------------------------------------------------

def recheck(report: Report, layout, checks: Iterable) -> None:
    """Remove the report's consistency findings and evaluate them again on its current values:
    the layout's declared rules (``layout.rule_findings``) and the ``checks`` (the registry's,
    ``registry.checks.values()``), as :func:`govconv.build_report` ran them.  A corrected cell
    thus clears the finding it caused.  The findings of the loader, the reading and the clean-up
    stay; the new findings take the place of the old ones.

    The old findings are those the rules raise on the values as read (the corrections undone)
    or as they are now, and every finding of a rule the layout's template declares."""
    checks = list(checks)
    saved = _as_read(report)
    try:
        as_read = _consistency(report, layout, checks)
    finally:
        _restore(report, saved)
    fresh = _consistency(report, layout, checks)
    stale = Counter(map(_signature, as_read)) | Counter(map(_signature, fresh))
    declared = {r.rule for r in getattr(getattr(layout, "template", None), "rules", ())}
    kept: list[Finding] = []
    at = None
    for f in report.findings:
        sig = _signature(f)
        if f.rule in declared or stale[sig] > 0:
            if stale[sig] > 0:
                stale[sig] -= 1
            if at is None:
                at = len(kept)
            continue
        kept.append(f)
    if at is None:   # none were there: before the clean-up's findings, which come last
        at = len(kept)
        while at > 0 and kept[at - 1].rule == "text.nul_removed":
            at -= 1
    report.findings = kept[:at] + fresh + kept[at:]


def _consistency(report: Report, layout, checks: list) -> list[Finding]:
    out = list(layout.rule_findings(report))
    for check in checks:
        out.extend(check.run(report))
    return out


def _as_read(report: Report) -> list:
    """Undo the corrections in place (the values as read); returns what :func:`_restore` needs."""
    saved = []
    for c in report.cells():
        if c.correction is not None:
            saved.append((c, c.value, c.uncertain))
            c.value = c.correction.get("value_read")
            c.uncertain = bool(c.correction.get("uncertain_read"))
    return saved


def _restore(report: Report, saved: list) -> None:
    for c, value, uncertain in saved:
        c.value, c.uncertain = value, uncertain


def _signature(f: Finding) -> tuple:
    return (f.rule, f.severity, tuple(f.cells), f.message_zh, f.message_en,
            json.dumps(f.to_dict()["values"], sort_keys=True, ensure_ascii=False, default=str))
