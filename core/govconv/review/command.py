"""``govconv review``: the review page of a report, and the Datasette metadata of the SQLite output.

    govconv review INPUT -o review.html [--corrections FILE] [--layout ID] [--blank zero|null]
    govconv review --datasette-metadata metadata.json [--database reports]

The input is converted here (within ``--timeout`` and ``--max-memory``, in a
supervised child process like ``govconv INPUT``); a PDF's bytes are kept for
the crops of its cells.  Errors are one line in Chinese and English; the exit
codes are those of the conversion (docs/cli.md).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from govconv.errors import ExitCode, UsageError
from govconv.model.values import BLANK_POLICIES
from govconv.cli import MB, Parser, _registry, _say
from govconv.running.limits import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="govconv review",
                description="审阅页：把一份报告画成一页自带一切的 HTML（表格、空白与存疑单元格、发现、原文截图）/ "
                            "the review page: one self-contained HTML page of a report (its tables, blank and "
                            "uncertain cells, findings, the source of every cell). "
                            "Also: --datasette-metadata PATH writes the metadata for `datasette serve reports.db`.")
    p.add_argument("input", nargs="?", metavar="INPUT", help="the report (.pdf, .docx, .txt, .html, .doc, …)")
    p.add_argument("-o", "--output", metavar="PATH", help="the HTML page to write (required with INPUT)")
    p.add_argument("--corrections", metavar="FILE",
                   help="apply a person's corrections (JSON, or YAML with PyYAML) and run the checks again")
    p.add_argument("--layout", metavar="ID", help="force a layout")
    p.add_argument("--loader", metavar="NAME", help="force a loader")
    p.add_argument("--blank", choices=BLANK_POLICIES, default="zero",
                   help="what a blank cell reads as (default zero)")
    p.add_argument("--password", help="password of an encrypted input")
    p.add_argument("--no-crops", dest="crops", action="store_false",
                   help="no crops of the PDF's pages (a smaller page)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for converting the input (default {DEFAULT_TIMEOUT:g}; 0: none)")
    p.add_argument("--max-memory", type=float, default=DEFAULT_MAX_MEMORY / MB, metavar="MB",
                   help=f"memory the conversion may use (default {DEFAULT_MAX_MEMORY / MB:g}; 0: no cap)")
    p.add_argument("--datasette-metadata", metavar="PATH",
                   help="write Datasette's metadata (Chinese labels, facets) for the SQLite output to PATH")
    p.add_argument("--database", default="reports", metavar="NAME",
                   help="the database the metadata is for: its file name (reports.db) or name (default reports)")
    return p


def main(argv: list[str] | None = None, *, registry=None) -> int:
    """Run the command; govconv.cli.main, which dispatches to it, turns errors into one line and an exit code."""
    return _main(list(sys.argv[1:] if argv is None else argv), registry)


def _main(argv: list[str], registry=None) -> int:
    if not argv:
        argv = ["--help"]
    args = parser().parse_args(argv)
    if args.input is None and not args.datasette_metadata:
        raise UsageError("需要一个输入文件（或 --datasette-metadata PATH）",
                         "give an INPUT (or --datasette-metadata PATH)")
    if args.input is not None and not args.output:
        raise UsageError("审阅页需要用 -o 指定输出的 HTML 文件", "the review page needs -o PATH (an HTML file)")
    from govconv.running.pipeline import check_choices

    reg = _registry(registry)
    check_choices(reg, layout=args.layout, loader=args.loader)
    corrections = None
    if args.corrections:
        from govconv.rules.corrections import load_corrections

        corrections = load_corrections(args.corrections)
    if args.datasette_metadata:
        from govconv.review.datasette import database_name, datasette_metadata

        from govconv.relational.model import registered_templates

        meta = datasette_metadata(registered_templates(reg), database=database_name(args.database))
        _write(args.datasette_metadata, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
               [args.input] if args.input else [])
    if args.input is None:
        return ExitCode.OK
    html_text, unmatched = review(args.input, reg, corrections=corrections, layout=args.layout, loader=args.loader,
                                  blank=args.blank, password=args.password, timeout=args.timeout or None,
                                  max_memory=int(args.max_memory * MB) or None, crops=args.crops)
    if unmatched:
        from govconv.rules.corrections import Corrections

        zh, en = Corrections.unmatched_message(unmatched)
        _say(f"{args.corrections}: {zh} / {en}")
    _write(args.output, html_text.encode("utf-8"), [args.input])
    return ExitCode.OK


def review(path: str, reg, *, corrections=None, layout=None, loader=None, blank="zero", password=None,
           timeout=DEFAULT_TIMEOUT, max_memory=DEFAULT_MAX_MEMORY, crops=True):
    """The review page of the report at ``path`` (a file or an http(s) URL) and the corrections
    that matched no input: ``(html, unmatched)``."""
    import govconv
    from govconv.reading.fetch import fetch, is_url
    from govconv.reading.source import MAX_INPUT_BYTES
    from govconv.review.page import build_page

    data: bytes | None
    if is_url(path):
        src = fetch(path, timeout=timeout or 0, max_bytes=MAX_INPUT_BYTES)
        report = govconv.convert(src.data, name=src.name, layout=layout, loader=loader, blank=blank,
                                 password=password, timeout=timeout, max_memory=max_memory, isolate=True,
                                 registry=reg, corrections=corrections)
        data = src.data
    else:
        report = govconv.convert(path, layout=layout, loader=loader, blank=blank, password=password,
                                 timeout=timeout, max_memory=max_memory, isolate=True, registry=reg,
                                 corrections=corrections)
        data = _read_source(path) if crops and report.source.format == "pdf" else None
    template = getattr(reg.layouts.get(report.layout), "template", None)
    unmatched = [] if corrections is None else corrections.unmatched([report.source.sha256])
    return build_page(report, data, template=template, password=password, crops=crops), unmatched


def _read_source(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


class _Bytes:
    """What ``write_output`` needs of an exporter, for bytes made already."""

    name = "review"
    needs_path = False

    def __init__(self, data: bytes):
        self.data = data

    def stream(self, reports, stream, options) -> None:
        stream.write(self.data)


def _write(output: str, data: bytes, inputs: list[str]) -> None:
    """Written as every govconv output is: atomically, never over an input (docs/cli.md)."""
    from govconv.running.targets import refuse_overwriting_inputs, write_output

    refuse_overwriting_inputs(output, inputs)
    write_output(_Bytes(data), [], output, {})
