"""The ``govconv`` command.

    govconv INPUT... [--to json] [-o PATH] [--layout ID] [--blank zero|null]
    govconv plugins     # every plugin, its version and hooks
    govconv formats     # loaders (input formats) and exporters (--to)
    govconv schema      # the JSON Schema of --to json

Exit codes are those of :class:`govconv.errors.ExitCode`; every error is one
line in Chinese and English, never a traceback (``GOVCONV_DEBUG=1`` shows it).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from importlib import resources
from pathlib import Path

from govconv.errors import ExitCode, GovconvError, OutputError, UsageError

SUBCOMMANDS = ("plugins", "formats", "schema")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors become our bilingual usage error
        raise UsageError(f"命令行参数有误：{message}", f"bad command line: {message}")


def _registry():
    from govconv.plugin.registry import default_registry
    return default_registry()


def _exporter_options(reg) -> dict[str, tuple[set, str]]:
    out: dict[str, tuple[set, str]] = {}
    for ex in reg.exporters.values():
        for opt, (choices, _default, help_) in ex.options.items():
            have = out.setdefault(opt, (set(), help_))
            have[0].update(choices)
    return out


def convert_parser(reg) -> argparse.ArgumentParser:
    p = _Parser(prog="govconv", description="把政府信息公开工作年度报告转换为结构化数据 / "
                "convert annual government-information-disclosure reports to structured data. "
                "Other commands: govconv plugins | formats | schema.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="report files (.txt, .docx, .pdf, …)")
    p.add_argument("--to", default="json", metavar="FORMAT",
                   help="output format: %s (default json)" % ", ".join(sorted(reg.exporters)))
    p.add_argument("-o", "--output", metavar="PATH", help="write here (atomically) instead of stdout")
    p.add_argument("--layout", metavar="ID", help="force a layout: %s" % ", ".join(sorted(reg.layouts)))
    p.add_argument("--loader", metavar="NAME", help="force a loader: %s" % ", ".join(sorted(reg.loaders)))
    p.add_argument("--blank", choices=("zero", "null"), default="zero",
                   help="what a blank cell (empty, -, —, /, 无) reads as (default zero)")
    p.add_argument("--password", help="password of an encrypted input")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="time limit for reading one file (default 60)")
    for opt, (choices, help_) in sorted(_exporter_options(reg).items()):
        p.add_argument(f"--{opt}", choices=sorted(choices), help=f"{help_} (exporters that take it)")
    p.add_argument("--version", action="version", version=f"govconv {_version()}")
    return p


def _version() -> str:
    from govconv import __version__
    return __version__


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS and not os.path.isfile(argv[0]):
            return _subcommand(argv[0], argv[1:])
        return _convert(argv)
    except GovconvError as e:
        _say(e.message())
        return e.exit_code
    except KeyboardInterrupt:
        _say("已中断 / interrupted")
        return 130
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as e:  # a bug: say so in one line, keep the traceback for GOVCONV_DEBUG
        return _internal(e)


def _say(line: str) -> None:
    print(f"govconv: {line}", file=sys.stderr)


def _internal(e: BaseException, path: str | None = None) -> int:
    if os.environ.get("GOVCONV_DEBUG"):
        traceback.print_exc()
    where = f"{path}: " if path else ""
    _say(f"{where}内部错误（{type(e).__name__}: {e}），请报告此问题 / "
         f"internal error ({type(e).__name__}: {e}); please report it (GOVCONV_DEBUG=1 shows details)")
    return ExitCode.INTERNAL


def _convert(argv: list[str]) -> int:
    if not argv:
        argv = ["--help"]
    reg = _registry()
    args = convert_parser(reg).parse_args(argv)
    exporter = reg.exporter(args.to)
    options = {opt: getattr(args, opt) for opt in exporter.options
               if getattr(args, opt, None) is not None}
    for opt, (_c, default, _h) in exporter.options.items():
        options.setdefault(opt, default)
    if exporter.needs_path and not args.output:
        raise UsageError(f"--to {args.to} 需要用 -o 指定输出文件", f"--to {args.to} needs -o PATH")

    from govconv.running.pipeline import convert
    reports, failures = [], []
    for path in args.inputs:
        try:
            reports.append(convert(path, layout=args.layout, loader=args.loader, blank=args.blank,
                                   password=args.password, timeout=args.timeout, registry=reg))
        except GovconvError as e:
            e.path = e.path or path
            if isinstance(e, UsageError):
                raise
            _say(e.message())
            failures.append(e.exit_code)
        except Exception as e:  # one file's bug must not stop the batch
            failures.append(_internal(e, path))
    if reports:
        _write(exporter, reports, args.output, options)
    return failures[0] if failures else ExitCode.OK


def _write(exporter, reports, output: str | None, options: dict) -> None:
    if output is None:
        exporter.export(reports, sys.stdout.buffer, options)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    try:
        if exporter.needs_path:
            exporter.export_to_path(reports, target, options)
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        try:
            with os.fdopen(fd, "wb") as stream:
                exporter.export(reports, stream, options)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise OutputError(f"无法写入输出文件（{e.strerror}）", f"cannot write the output ({e.strerror})",
                          path=output) from None


def _subcommand(name: str, argv: list[str]) -> int:
    p = _Parser(prog=f"govconv {name}")
    if name == "schema":
        p.add_argument("format", nargs="?", default="json", choices=("json",))
        p.parse_args(argv)
        sys.stdout.write(resources.files("govconv").joinpath("schemas/report.schema.json").read_text("utf-8"))
        return ExitCode.OK
    p.add_argument("--json", action="store_true", help="machine-readable output")
    args = p.parse_args(argv)
    reg = _registry()
    if name == "plugins":
        infos = reg.plugins()
        if args.json:
            print(json.dumps([i.__dict__ for i in infos], ensure_ascii=False, indent=2))
        else:
            for i in infos:
                print(f"{i.name} {i.version or '-'} ({i.distribution or i.module})")
                print(f"    hooks: {', '.join(i.hooks)}")
                print(f"    provides: {', '.join(i.provides)}")
        return ExitCode.OK
    rows = ([("loader", lo.name, ",".join(lo.extensions), lo.description) for lo in reg.loaders.values()]
            + [("layout", la.id, "", la.description) for la in reg.layouts.values()]
            + [("exporter", ex.name, ex.extension, ex.description) for ex in reg.exporters.values()])
    if args.json:
        print(json.dumps([dict(zip(("kind", "name", "extensions", "description"), r)) for r in rows],
                         ensure_ascii=False, indent=2))
    else:
        for kind, nm, ext, desc in sorted(rows):
            print(f"{kind:9} {nm:10} {ext:10} {desc}")
    return ExitCode.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
