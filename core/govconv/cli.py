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
import sys
import time
from pathlib import Path

from govconv.errors import ExitCode, GovconvError, UsageError
from govconv.model.values import BLANK_POLICIES
from govconv.running.limits import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT

MB = 1024 * 1024

#: commands that live in their own module: name → module whose ``main(argv) -> int`` runs it
#: (imported only when the command is used)
COMMAND_MODULES = {"audit": "govconv.series.command", "review": "govconv.review.command"}
#: the words that are commands when they come first; anything else first is an input.  A file
#: named like one is converted with ``govconv convert NAME``, ``govconv ./NAME`` or ``govconv -- NAME``.
SUBCOMMANDS = ("convert", "plugins", "formats", "schema", *COMMAND_MODULES)


class _Help(argparse.HelpFormatter):
    """argparse's help, as wide as the terminal, measured without importing shutil (and bz2, lzma) for it."""

    def __init__(self, prog: str, **kwargs) -> None:
        if kwargs.get("width") is None:
            try:
                columns = int(os.environ.get("COLUMNS") or os.get_terminal_size(sys.stdout.fileno()).columns)
            except (OSError, ValueError, AttributeError):
                columns = 80
            kwargs["width"] = max(columns - 2, 20)
        super().__init__(prog, **kwargs)


class Parser(argparse.ArgumentParser):
    """The parser of every govconv command: argparse's own errors become our bilingual usage error."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)

    def error(self, message):
        raise UsageError(f"命令行参数有误：{message}", f"bad command line: {message}")


def _registry(given=None):
    """The registry a command uses: the one ``main`` was given (an embedding application's, a
    test's), else the default one — every installed plugin, allowed by ``GOVCONV_LOAD_PLUGINS``."""
    if given is not None:
        return given
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
    p = Parser(prog="govconv", description="把政府信息公开工作年度报告转换为结构化数据 / "
                "convert annual government-information-disclosure reports to structured data. "
                "Other commands: govconv plugins | formats | schema [json|xml]. "
                "A file named like a command: govconv convert NAME (or ./NAME).")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="report files (.txt, .docx, .pdf, .html, .doc, …), directories (recursive), quoted globs, "
                        "or http(s) URLs")
    p.add_argument("--from-list", metavar="FILE", help="also convert the paths listed in FILE, one a line (-: stdin)")
    p.add_argument("--to", metavar="FORMAT",
                   help=f"output format: {', '.join(sorted(reg.exporters))} (default: the one -o's extension "
                        f"names — reports.db is SQLite, out.jsonl JSON Lines, … — else json)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write here (atomically) instead of stdout; a postgresql://… URL writes into that database")
    p.add_argument("--out-dir", metavar="DIR", help="one output file per input in DIR, named after it")
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help=f"worker processes (default: the number of cores, {os.cpu_count() or 1} here)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local worker processes, or an existing dask.distributed cluster (govconv[dask])")
    p.add_argument("--scheduler", metavar="URL", help="the dask scheduler, tcp://host:8786 (or GOVCONV_SCHEDULER)")
    p.add_argument("--resume", action="store_true",
                   help="skip inputs the target's ledger records as converted (same sha256)")
    p.add_argument("--ledger", metavar="FILE", help="also keep the ledger (one JSON line per input) in FILE")
    p.add_argument("--progress", action="store_true", help="show progress even when stderr is not a terminal")
    p.add_argument("--corrections", metavar="FILE",
                   help="cells a person corrected (JSON: sha256, address, value, reason); see docs/review.md")
    p.add_argument("--layout", metavar="ID", help=f"force a layout: {', '.join(sorted(reg.layouts))}")
    p.add_argument("--loader", metavar="NAME", help=f"force a loader: {', '.join(sorted(reg.loaders))}")
    p.add_argument("--blank", choices=BLANK_POLICIES, default="zero",
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


def main(argv: list[str] | None = None, *, registry=None) -> int:
    """Run the command ``argv`` (default: this process's arguments); the exit code.

    ``registry`` (a :class:`govconv.Registry`) is the plugins every command uses; by
    default, the installed ones.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = signal.signal(signal.SIGTERM, _interrupted) if _main_thread() else None
    try:
        if argv and argv[0] == "convert":
            return _convert(argv[1:], registry)
        if argv and argv[0] in COMMAND_MODULES:
            from importlib import import_module

            return import_module(COMMAND_MODULES[argv[0]]).main(argv[1:], registry=registry)
        if argv and argv[0] in SUBCOMMANDS:
            return _subcommand(argv[0], argv[1:], registry)
        return _convert(argv, registry)
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


def _say(line: str, bar=None) -> None:
    """One line on stderr, whatever a library's message held (line breaks are folded)."""
    text = "govconv: " + " ".join(line.split())
    if bar is not None:
        bar.write(text, file=sys.stderr)
    else:
        print(text, file=sys.stderr)


def _internal(e: BaseException) -> int:
    if os.environ.get("GOVCONV_DEBUG"):
        import traceback

        traceback.print_exc()
    _say(f"内部错误（{type(e).__name__}: {e}），请报告此问题 / "
         f"internal error ({type(e).__name__}: {e}); please report it (GOVCONV_DEBUG=1 shows details)")
    return ExitCode.INTERNAL


def _convert(argv: list[str], registry=None) -> int:
    if not argv:
        argv = ["--help"]
    reg = _registry(registry)
    args = convert_parser(reg).parse_args(argv)
    args.to = args.to or format_for(args.output, reg)
    from govconv.running import targets
    from govconv.running.batch import convert_many, convert_supervised, expand_inputs
    from govconv.running.pipeline import check_choices

    database = targets.is_database_url(args.output) or bool(args.to == "sqlite" and args.output)
    exporter = reg.exporter(args.to)
    options = {opt: getattr(args, opt) for opt in exporter.options if getattr(args, opt, None) is not None}
    for opt, (_c, default, _h) in exporter.options.items():
        options.setdefault(opt, default)
    if exporter.needs_path and not (args.output or args.out_dir):
        raise UsageError(f"--to {args.to} 需要用 -o 指定输出文件", f"--to {args.to} needs -o PATH")
    if args.out_dir and args.output:
        raise UsageError("-o 与 --out-dir 只能选一个", "give -o or --out-dir, not both")
    if args.resume and not (database or args.out_dir or args.ledger):
        raise UsageError("--resume 需要一个记录台账的目标：数据库、--out-dir 或 --ledger",
                         "--resume needs a target that keeps a ledger: a database, --out-dir or --ledger")
    loader_options = {opt: getattr(args, opt) for opt in _plugin_options(reg.loaders.values())
                      if getattr(args, opt, None) is not None}
    check_choices(reg, layout=args.layout, loader=args.loader, loader_options=loader_options)
    corrections = None
    if args.corrections:
        from govconv.rules.corrections import load_corrections

        corrections = load_corrections(args.corrections)
    extensions = {e for lo in reg.loaders.values() for e in lo.extensions}
    paths = list(expand_inputs(args.inputs, extensions, from_list=args.from_list))
    if not paths:
        raise UsageError("没有要转换的输入", "no inputs to convert")
    targets.refuse_overwriting_inputs(args.output, paths)
    max_memory = int(args.max_memory * MB) or None

    if database:
        from govconv.relational.model import registered_templates

        target: targets.Target = targets.DatabaseTarget(args.output, registered_templates(reg))
    elif args.out_dir:
        target = targets.DirectoryTarget(exporter, args.out_dir, options, args.ledger)
    else:
        ledger = targets.JsonlLedger(Path(args.ledger)) if args.ledger else None
        target = targets.StreamTarget(exporter, args.output, options, ledger)
    batch = len(paths) > 1
    tally = targets.Tally()
    index = {p: i for i, p in enumerate(paths)}
    bar = _progress_bar(len(paths), args.progress)
    t0 = time.monotonic()
    jobs = max(1, min(args.jobs or os.cpu_count() or 1, len(paths)))
    scheduler = args.scheduler                  # else the Dask engine reads GOVCONV_SCHEDULER
    convert_options = dict(layout=args.layout, loader=args.loader, blank=args.blank, password=args.password,
                           loader_options=loader_options, corrections=corrections)
    seen: set[str] = set()
    if args.engine == "local":
        convert_options["registry"] = reg

    def converted():              # each input's result, recorded and told; the converted ones go on to the target
        if args.engine == "local" and len(paths) == 1 and not args.resume:   # no pool to start for one file
            results = iter([convert_supervised(paths[0], convert_options, args.timeout, max_memory)])
        else:
            results = convert_many(paths, jobs=jobs, engine=args.engine, scheduler=scheduler, timeout=args.timeout,
                                   max_memory=max_memory, skip=target.done if args.resume else None,
                                   render=target.render, **convert_options)
        for result in results:
            tally.add(result, index.get(result.path, len(index)))
            if result.sha256:
                seen.add(result.sha256)
            if not result.skipped:
                target.record(targets.LedgerEntry.of(result))
            if result.failure is not None:
                _say(f"{result.path}: {result.failure.message}", bar)
            if bar is not None:
                bar.set_postfix_str(f"failed {tally.failed}", refresh=False)
                bar.update(1)
            if result.ok:
                yield result

    try:
        target.run(converted())
    finally:
        target.close()
        if bar is not None:
            bar.close()
    unmatched = corrections.unmatched(seen) if corrections is not None else None
    if corrections is not None and unmatched:
        zh, en = corrections.unmatched_message(unmatched)
        _say(f"{args.corrections}: {zh} / {en}")
    if batch:
        zh, en = tally.line(time.monotonic() - t0)
        _say(f"{zh} / {en}")
    return tally.exit_code


def format_for(output: str | None, reg) -> str:
    """``--to`` when it is not given: the exporter whose extension ``-o`` has (``reports.db`` →
    sqlite, ``all.jsonl`` → jsonl, ``book.xlsx`` → xlsx), else json (also for stdout and URLs)."""
    if output and "://" not in output:
        extension = os.path.splitext(output)[1].lower().lstrip(".")
        named = [ex.name for ex in reg.exporters.values() if extension and ex.extension == extension]
        if len(named) == 1:
            return named[0]
    return "json"


def _progress_bar(total: int, forced: bool):
    """A progress bar on stderr when it is a terminal (or --progress): done/total, rate, ETA, failures."""
    if not (forced or sys.stderr.isatty()) or total < 2:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, mininterval=0.2,
                disable=False, delay=0 if forced else 0.5)


def _subcommand(name: str, argv: list[str], registry=None) -> int:
    p = Parser(prog=f"govconv {name}")
    if name == "schema":
        p.add_argument("format", nargs="?", default="json", choices=("json", "xml"),
                       help="json: the JSON Schema of --to json; xml: the XSD of --to xml")
        fmt = p.parse_args(argv).format
        shipped = "schemas/report.schema.json" if fmt == "json" else "schemas/report.xsd"
        from importlib import resources

        sys.stdout.write(resources.files("govconv").joinpath(shipped).read_text("utf-8"))
        return ExitCode.OK
    p.add_argument("--json", action="store_true", help="machine-readable output")
    args = p.parse_args(argv)
    reg = _registry(registry)
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
