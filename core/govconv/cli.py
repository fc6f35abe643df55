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
import signal
import stat
import sys
import tempfile
import traceback
from importlib import resources
from pathlib import Path

from govconv.errors import ExitCode, GovconvError, OutputError, UsageError
from govconv.running.limits import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT

MB = 1024 * 1024

#: the words that are commands when they come first; anything else first is an input.  A file
#: named like one is converted with ``govconv convert NAME``, ``govconv ./NAME`` or ``govconv -- NAME``.
SUBCOMMANDS = ("convert", "plugins", "formats", "schema")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors become our bilingual usage error
        raise UsageError(f"命令行参数有误：{message}", f"bad command line: {message}")


def _registry():
    from govconv.plugin.registry import default_registry
    return default_registry()


def _plugin_options(plugins) -> dict[str, tuple[set, str]]:
    """The options loaders or exporters declare: name → (every choice, help)."""
    out: dict[str, tuple[set, str]] = {}
    for plugin in plugins:
        for opt, (choices, _default, help_) in plugin.options.items():
            have = out.setdefault(opt, (set(), help_))
            have[0].update(choices)
    return out


def convert_parser(reg) -> argparse.ArgumentParser:
    p = _Parser(prog="govconv", description="把政府信息公开工作年度报告转换为结构化数据 / "
                "convert annual government-information-disclosure reports to structured data. "
                "Other commands: govconv plugins | formats | schema [json|xml]. "
                "A file named like a command: govconv convert NAME (or ./NAME).")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="report files (.txt, .docx, .pdf, …)")
    p.add_argument("--to", default="json", metavar="FORMAT",
                   help="output format: %s (default json)" % ", ".join(sorted(reg.exporters)))
    p.add_argument("-o", "--output", metavar="PATH", help="write here (atomically) instead of stdout")
    p.add_argument("--layout", metavar="ID", help="force a layout: %s" % ", ".join(sorted(reg.layouts)))
    p.add_argument("--loader", metavar="NAME", help="force a loader: %s" % ", ".join(sorted(reg.loaders)))
    p.add_argument("--blank", choices=("zero", "null"), default="zero",
                   help="what a blank cell (empty, -, —, /, 无) reads as (default zero)")
    p.add_argument("--password", help="password of an encrypted input")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for converting one input: load, layout, checks (default {DEFAULT_TIMEOUT:g}; "
                        f"0: none)")
    p.add_argument("--max-memory", type=float, default=DEFAULT_MAX_MEMORY / MB, metavar="MB",
                   help=f"memory one conversion may use (default {DEFAULT_MAX_MEMORY / MB:g}; 0: no cap)")
    for kind, plugins in (("exporters", reg.exporters.values()), ("loaders", reg.loaders.values())):
        for opt, (choices, help_) in sorted(_plugin_options(plugins).items()):
            p.add_argument(f"--{opt.replace('_', '-')}", dest=opt, choices=sorted(choices),
                           help=f"{help_} ({kind} that take it)")
    p.add_argument("--version", action="version", version=f"govconv {_version()}")
    return p


def _version() -> str:
    from govconv import __version__
    return __version__


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = signal.signal(signal.SIGTERM, _interrupted) if _main_thread() else None
    try:
        if argv and argv[0] == "convert":
            return _convert(argv[1:])
        if argv and argv[0] in SUBCOMMANDS:
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
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _interrupted(signum, frame):
    """SIGTERM ends the command like Ctrl-C: cleanly, leaving no temporary file behind."""
    raise KeyboardInterrupt


def _say(line: str) -> None:
    """One line on stderr, whatever a library's message held (line breaks are folded)."""
    print("govconv: " + " ".join(line.split()), file=sys.stderr)


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

    from govconv.running.limits import budget
    from govconv.running.pipeline import InternalError, convert

    _refuse_overwriting_inputs(args.output, args.inputs)
    max_memory = int(args.max_memory * MB) or None
    loader_options = {opt: getattr(args, opt) for opt in _plugin_options(reg.loaders.values())
                      if getattr(args, opt, None) is not None}
    reports, failures = [], []
    for path in args.inputs:
        try:
            reports.append(convert(path, layout=args.layout, loader=args.loader, blank=args.blank,
                                   password=args.password, timeout=args.timeout, max_memory=max_memory,
                                   loader_options=loader_options, isolate=True, registry=reg))
        except GovconvError as e:
            e.path = e.path or path
            if isinstance(e, UsageError):
                raise
            _say(e.message())
            failures.append(e.exit_code)
        except (InternalError, Exception) as e:  # one file's bug must not stop the batch
            failures.append(_internal(e, path))
    if reports:
        with budget(args.timeout, max_memory, args.output):
            _write(exporter, reports, args.output, options)
    return failures[0] if failures else ExitCode.OK


def _refuse_overwriting_inputs(output: str | None, inputs: list[str]) -> None:
    if not output or output == "-":
        return
    for path in inputs:
        try:
            same = os.path.samefile(output, path)
        except OSError:
            continue
        if same:
            raise OutputError("输出文件就是输入文件，拒绝覆盖输入", "the output is one of the inputs: "
                              "refusing to overwrite an input", path=output)


def _write(exporter, reports, output: str | None, options: dict) -> None:
    """Write to stdout, or to ``output`` as the user meant it.

    A regular file (or a new one) is replaced atomically: written beside it,
    then renamed over it, keeping an existing file's mode (a new one follows
    the umask); a symlink is followed and the file it points to is replaced,
    the link stays.  A device, FIFO or socket (``/dev/null``, ``/dev/stdout``)
    is written to as it is, never replaced.  A directory is refused.  No
    temporary file survives an interruption.
    """
    if output is None or output == "-":
        exporter.export(reports, sys.stdout.buffer, options)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    try:
        kind = _kind(target)
        if kind == "directory":
            raise OutputError("输出路径是一个目录", "the output path is a directory", path=output)
        if exporter.needs_path:
            if kind == "special":
                raise OutputError(f"--to {exporter.name} 需要一个普通文件作为输出",
                                  f"--to {exporter.name} needs a regular file as its output", path=output)
            exporter.export_to_path(reports, target, options)
            return
        if kind == "special":
            with open(target, "wb") as stream:
                exporter.export(reports, stream, options)
            return
        real = Path(os.path.realpath(target))
        mode = stat.S_IMODE(real.stat().st_mode) if kind == "regular" else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                exporter.export(reports, stream, options)
                os.fchmod(stream.fileno(), mode)
            os.replace(tmp, real)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise OutputError(f"无法写入输出文件（{e.strerror}）", f"cannot write the output ({e.strerror})",
                          path=output) from None


def _kind(path: Path) -> str:
    """'missing', 'regular', 'directory' or 'special' (device, FIFO, socket), following symlinks."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return "missing"
    if stat.S_ISDIR(st.st_mode):
        return "directory"
    return "regular" if stat.S_ISREG(st.st_mode) else "special"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _subcommand(name: str, argv: list[str]) -> int:
    p = _Parser(prog=f"govconv {name}")
    if name == "schema":
        p.add_argument("format", nargs="?", default="json", choices=("json", "xml"),
                       help="json: the JSON Schema of --to json; xml: the XSD of --to xml")
        fmt = p.parse_args(argv).format
        shipped = "schemas/report.schema.json" if fmt == "json" else "schemas/report.xsd"
        sys.stdout.write(resources.files("govconv").joinpath(shipped).read_text("utf-8"))
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
                if i.error:
                    print(f"    error: {i.error}")
                    continue
                print(f"    hooks: {', '.join(i.hooks)}")
                print(f"    provides: {', '.join(i.provides)}")
                if i.overrides:
                    print(f"    overrides: {', '.join(i.overrides)}")
                if i.skipped:
                    print(f"    skipped: {', '.join(i.skipped)}")
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
