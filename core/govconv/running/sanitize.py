"""Text the model will not carry: NUL characters.

PostgreSQL text cannot hold U+0000 and XML forbids it, so the model removes it
once, for every exporter alike, and records the removal as a finding.
"""
from __future__ import annotations

from typing import overload

from govconv.model.report import Finding, Report


@overload
def _strip(text: str, counter: list[int]) -> str: ...
@overload
def _strip(text: None, counter: list[int]) -> None: ...
def _strip(text: str | None, counter: list[int]) -> str | None:
    if text is None or "\x00" not in text:
        return text
    counter[0] += text.count("\x00")
    return text.replace("\x00", "")


def remove_nul(report: Report) -> None:
    n = [0]
    m = report.meta
    m.title, m.agency = _strip(m.title, n), _strip(m.agency, n)
    report.preamble = _strip(report.preamble, n)
    for s in report.sections:
        s.heading, s.text = _strip(s.heading, n), _strip(s.text, n)
    for c in report.cells():
        c.raw = _strip(c.raw, n)
    for f in report.findings:
        f.message_zh, f.message_en = _strip(f.message_zh, n), _strip(f.message_en, n)
        f.values = {k: _strip(v, n) if isinstance(v, str) else v for k, v in f.values.items()}
    if n[0]:
        report.findings.append(Finding(
            "text.nul_removed", [], f"已删除文本中的 {n[0]} 个 NUL 字符（U+0000）",
            f"removed {n[0]} NUL character(s) (U+0000) from the text", values={"count": n[0]},
            severity="info"))
