"""file → loader → Document → layout → Report → checks: the whole conversion."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from govconv.rules.checks import run_checks
from govconv.model.document import Document
from govconv.reading.engine import BlankPolicy, ReadOptions
from govconv.errors import CorruptInput, GovconvError, UsageError, wrapped_error
from govconv.running.limits import (DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, WorkerCrash, budget, can_supervise,
                                    checkpoint, run_supervised)
from govconv.plugin.registry import Registry, default_registry
from govconv.model.report import Report, SourceInfo
from govconv.running.sanitize import remove_nul
from govconv.reading.fetch import fetch, is_url
from govconv.reading.source import MAX_INPUT_BYTES, LoadOptions, Source

if TYPE_CHECKING:
    from govconv.rules.corrections import Corrections



def convert(path_or_bytes: "str | Path | bytes | BinaryIO", *, layout: str | None = None, loader: str | None = None,
            blank: BlankPolicy = "zero", password: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
            max_memory: int | None = DEFAULT_MAX_MEMORY, loader_options: dict[str, str] | None = None,
            corrections: "Corrections | None" = None, isolate: bool = False, name: str | None = None,
            registry: Registry | None = None) -> Report:
    """Convert one report (a path, its bytes, or a binary file object) into a :class:`Report`.

    ``layout`` and ``loader`` force a choice; ``blank`` is ``"zero"`` or
    ``"null"`` (what blank cells read).  ``timeout`` (seconds) and
    ``max_memory`` (bytes) bound the whole conversion — load, layout, checks —
    cooperatively, in any thread, without signals; ``isolate=True`` runs it in
    a supervised child process that is killed when it overruns (what the CLI
    does; POSIX only, in-process elsewhere).  Raises a :class:`GovconvError`
    subclass for input that cannot be read; inconsistencies in a readable
    report are findings.  ``loader_options`` are the options loaders declare
    (``{"pdf_engine": "pdfplumber"}``), checked here against their choices.
    ``corrections`` (:func:`govconv.rules.corrections.load_corrections`) set
    the cells a person corrected for this report (by its sha256), keeping what
    was read as provenance, and the checks run again.
    """
    ReadOptions(blank=blank)                      # checks the policy before any input is read
    reg = registry or default_registry()
    extra = _checked_loader_options(reg, loader_options or {})
    label = name or (str(path_or_bytes) if isinstance(path_or_bytes, (str, Path)) else None)
    if isolate and can_supervise():
        try:
            return run_supervised(_convert, path_or_bytes, reg, layout, loader, blank, password, timeout,
                                  max_memory, name, extra, corrections, timeout=timeout, max_memory=max_memory,
                                  path=label)
        except WorkerCrash as e:
            raise InternalError(str(e)) from None
    return _convert(path_or_bytes, reg, layout, loader, blank, password, timeout, max_memory, name, extra,
                    corrections)


def check_choices(reg: Registry, *, layout: str | None = None, loader: str | None = None,
                  loader_options: dict[str, str] | None = None) -> dict[str, str]:
    """Usage errors found before any input is read: an unknown layout, loader or loader option."""
    if layout is not None:
        reg.layout(layout)
    if loader is not None:
        reg.loader(loader)
    return _checked_loader_options(reg, loader_options or {})


def _checked_loader_options(reg: Registry, given: dict[str, str]) -> dict[str, str]:
    """The options with their defaults filled in; an unknown option or choice is a usage error."""
    declared: dict[str, tuple[tuple[str, ...], str]] = {}
    for lo in reg.loaders.values():
        for opt, (choices, default, _help) in lo.options.items():
            have = declared.setdefault(opt, ((), default))
            declared[opt] = (have[0] + tuple(choices), have[1])
    out = {opt: default for opt, (_c, default) in declared.items()}
    for opt, value in given.items():
        if opt not in declared:
            raise UsageError(f"没有读取器接受选项 {opt}", f"no loader takes the option {opt!r}")
        if value not in declared[opt][0]:
            raise UsageError(f"选项 {opt} 只能是 {'/'.join(declared[opt][0])}",
                             f"{opt} must be one of {', '.join(declared[opt][0])}")
        out[opt] = value
    return out


class InternalError(Exception):
    """A bug in govconv or a plugin, raised in a supervised child (its traceback stayed there)."""


def _convert(path_or_bytes, reg: Registry, layout, loader, blank, password, timeout, max_memory,
             name, extra: dict[str, str], corrections=None) -> Report:
    label = name or (str(path_or_bytes) if isinstance(path_or_bytes, (str, Path)) else None)
    with budget(timeout, max_memory, label):
        source = (fetch(path_or_bytes, timeout=timeout, max_bytes=MAX_INPUT_BYTES) if is_url(path_or_bytes)
                  else Source.open(path_or_bytes, name=name))
        options = LoadOptions(password=password, timeout=timeout or 0.0, extra=dict(extra))
        options.read_as = lambda src, fmt: _load(reg, src, options, fmt)
        doc = _load(reg, source, options, loader)
        report = build_report(doc, source, reg, layout=layout, blank=blank)
        if corrections is not None:
            from govconv.rules.corrections import apply_corrections, recheck

            chosen = reg.layouts[report.layout]
            if apply_corrections(report, corrections, getattr(chosen, "template", None)):
                recheck(report, chosen, reg.checks.values())
        return report


def _load(reg: Registry, source: Source, options: LoadOptions, loader: str | None):
    """The chosen (or named) loader reads ``source``; a library's error becomes ours."""
    chosen = reg.choose_loader(source, loader)
    source.check_size(chosen.max_bytes, chosen.format or chosen.name)
    try:
        doc = chosen.load(source, options)
    except GovconvError as e:
        e.path = e.path or source.name
        raise
    except RecursionError as e:
        raise _structure_error(e, source.name) from None
    except Exception as e:
        inner = wrapped_error(e)
        if isinstance(inner, GovconvError):
            inner.path = inner.path or source.name
            raise inner from None
        if isinstance(inner, MemoryError):
            raise inner from None         # the budget makes it a MemoryLimit
        if inner is not None:
            raise _structure_error(inner, source.name) from None
        raise
    doc.loader = doc.loader or chosen.name
    doc.format = doc.format or chosen.format
    return doc


def _structure_error(e: BaseException, name: str) -> CorruptInput:
    return CorruptInput(f"文件结构异常，无法读取（{type(e).__name__}）",
                        f"the file's structure cannot be read ({type(e).__name__})", path=name)


def build_report(doc: Document, source: Source, reg: Registry, *, layout: str | None = None,
                 blank: BlankPolicy = "zero") -> Report:
    """Document → Report, with the checks run (for loaders driven by an embedding app)."""
    chosen = reg.choose_layout(doc, layout, source.name)
    checkpoint()
    report = chosen.parse(doc, ReadOptions(blank=blank), reg.convention(chosen.convention))
    report.source = SourceInfo(file=source.name, format=doc.format, sha256=source.sha256,
                               loader=doc.loader, size=len(source.data))
    report.findings[:0] = doc.findings
    report.findings.extend(chosen.rule_findings(report))
    run_checks(report, reg.checks.values())
    remove_nul(report)
    return report
