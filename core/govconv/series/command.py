"""``govconv audit``: one agency's reports across the years.

    govconv audit INPUT... [--to table|json] [-o PATH] [--aliases FILE] [-j N]

INPUTs are report files, directories (recursive), quoted globs — converted like
``govconv INPUT...``, in supervised worker processes — or SQLite databases that
govconv wrote (``--to sqlite -o reports.db``), read as they are.  The audit is a
table on the terminal (``--to table``, the default) or JSON (``--to json``).
Findings are the output, not errors: the exit code is 0 when the audit ran; an
input that could not be read is said in one line (Chinese and English), left
out, and its exit code is the command's (the first such input's).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from govconv.errors import ExitCode, GovconvError, UsageError
from govconv.cli import Parser, _registry, _say
from govconv.reading.agency import load_aliases
from govconv.series.audit import SeriesAudit, audit

FORMATS = ("table", "json", "sqlite")


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="govconv audit",
                description="按机构和年度核对多份年度报告（上年结转、现行有效件数、重复、缺年） / "
                            "check an agency's reports across the years: carried-over applications, "
                            "documents in force, duplicates, missing years")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="report files, directories (recursive), quoted globs, or SQLite databases written by "
                        "govconv --to sqlite")
    p.add_argument("--to", choices=FORMATS, default="table",
                   help="table (default: for the terminal), json (the groups and the findings), or sqlite "
                        "(into the database -o names: its series_findings table)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write here (atomically) instead of stdout; a postgresql://… URL, or with --to sqlite a "
                        "SQLite file, gets the findings in its series_findings table")
    p.add_argument("--aliases", metavar="FILE",
                   help="agency names that mean one agency: a JSON object {name: canonical name}, "
                        "or lines 'name<TAB>canonical name'")
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help=f"worker processes converting the report files (default: the number of cores, "
                        f"{os.cpu_count() or 1} here)")
    return p


def main(argv: list[str] | None = None, *, registry=None) -> int:
    """Run the command; govconv.cli.main, which dispatches to it, turns errors into one line and an exit code."""
    return _run(list(sys.argv[1:] if argv is None else argv), registry)


def _run(argv: list[str], given_registry=None) -> int:
    args = parser().parse_args(argv)
    if not args.inputs:
        raise UsageError("没有要核对的输入", "no inputs to audit")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("-j 至少为 1", "-j must be at least 1")
    aliases = load_aliases(args.aliases) if args.aliases else None

    from govconv.running import targets
    from govconv.running.batch import convert_many, expand_inputs
    from govconv.series.database import is_sqlite, read_database

    registry = _registry(given_registry)
    extensions = {e for lo in registry.loaders.values() for e in lo.extensions}
    databases: list[str] = []
    for item in args.inputs:
        if is_sqlite(item) and item not in databases:
            databases.append(item)
    paths = list(expand_inputs([i for i in args.inputs if i not in databases], extensions))
    if not databases and not paths:
        raise UsageError("没有要核对的输入（目录中没有可读的报告文件）",
                         "no inputs to audit (no report files in the directories given)")
    if not (args.to == "sqlite" or targets.is_database_url(args.output)):   # a database may take its own findings
        targets.refuse_overwriting_inputs(args.output, databases + paths)

    failures: dict[int, int] = {}          # input index → exit code
    order = {p: i for i, p in enumerate(databases + paths)}

    def reports():
        for db in databases:
            try:
                yield from read_database(db)
            except GovconvError as e:
                _say(e.message())
                failures[order[db]] = e.exit_code
        if not paths:
            return
        jobs = max(1, min(args.jobs or os.cpu_count() or 1, len(paths)))
        for result in convert_many(paths, jobs=jobs, registry=registry):
            if result.failure is not None:
                _say(f"{result.path}: {result.failure.message}")
                failures[order.get(result.path, len(order))] = result.failure.exit_code
            elif result.report is not None:
                yield result.report

    result = audit(reports(), aliases)
    if args.to == "sqlite" or targets.is_database_url(args.output):
        _into_database(result, args.output)
    else:
        data = (json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n" if args.to == "json"
                else render_table(result))
        targets.write_output(_Text(data), [], args.output, {})
    return failures[min(failures)] if failures else ExitCode.OK


def _into_database(result, where: str | None) -> None:
    """The audit's findings into the series_findings table of a govconv database."""
    from govconv.relational import open_target
    from govconv.series.audit import series_rows

    if not where:
        raise UsageError("--to sqlite 需要用 -o 指定数据库文件", "--to sqlite needs -o PATH (a database file)")
    with open_target(where) as db:
        db.replace_series(series_rows(result), {g.agency_key for g in result.groups})
    _say(f"{len(result.findings)} 条跨年度发现已写入 {where} 的 series_findings 表 / "
         f"{len(result.findings)} series finding(s) written to the series_findings table of {where}")


class _Text:
    """The audit's text, written as govconv writes every output (atomically to a file)."""

    name, needs_path = "audit", False

    def __init__(self, text: str):
        self.text = text

    def stream(self, reports, stream, options) -> None:
        stream.write(self.text.encode("utf-8"))


def _years(group) -> str:
    counts: dict[int, int] = {}
    for r in group.reports:
        counts[r.year] = counts.get(r.year, 0) + 1
    return " ".join(f"{y}×{n}" if n > 1 else str(y) for y, n in sorted(counts.items()))


def render_table(result: SeriesAudit) -> str:
    """The audit for a terminal: agencies and their years, reports set aside, then the findings."""
    lines = ["机构 / agency\t年度 / years\t报告 / reports"]
    for g in result.groups:
        lines.append(f"{g.agency}\t{_years(g)}\t{len(g.reports)}")
    if result.set_aside:
        lines += ["", "未纳入 / set aside:"]
        for s in result.set_aside:
            d = s.to_dict()
            lines.append(f"  {', '.join(s.report.files) or s.report.key}\t{s.report.agency or '-'}\t"
                         f"{s.report.year or '-'}\t{d['message']}")
    lines += ["", "发现 / findings:"]
    for f in result.findings:
        years = "–".join(str(y) for y in (f.years[0], f.years[-1])) if len(f.years) > 1 else str(f.years[0])
        lines.append(f"  {f.severity}\t{f.rule}\t{f.agency}\t{years}\t{f.message}")
    if not result.findings:
        lines.append("  （无 / none）")
    s = result.to_dict()["summary"]
    lines += ["", f"{s['findings']} 条发现，{s['agencies']} 个机构，{s['reports']} 份报告，{s['set_aside']} 份未纳入 / "
                  f"{s['findings']} findings, {s['agencies']} agencies, {s['reports']} reports, "
                  f"{s['set_aside']} set aside"]
    return "\n".join(lines) + "\n"
