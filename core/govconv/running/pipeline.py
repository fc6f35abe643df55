"""file → loader → Document → layout → Report → checks: the whole conversion."""
from __future__ import annotations

from pathlib import Path

from govconv.rules.checks import run_checks
from govconv.reading.engine import ReadOptions
from govconv.errors import CorruptInput, GovconvError, UsageError, wrapped_error
from govconv.running.limits import time_limit
from govconv.plugin.registry import Registry, default_registry
from govconv.model.report import Report, SourceInfo
from govconv.running.sanitize import remove_nul
from govconv.reading.source import LoadOptions, Source

BLANK_POLICIES = ("zero", "null")


def convert(path_or_bytes: "str | Path | bytes", *, layout: str | None = None, loader: str | None = None,
            blank: str = "zero", password: str | None = None, timeout: float = 60.0,
            name: str | None = None, registry: Registry | None = None) -> Report:
    """Convert one report file (a path, or its bytes) into a :class:`Report`.

    ``layout`` and ``loader`` force a choice; ``blank`` is ``"zero"`` or
    ``"null"`` (what blank cells read); ``timeout`` limits the seconds spent
    reading the file.  Raises a :class:`GovconvError` subclass for input that
    cannot be read; inconsistencies in a readable report are findings.
    """
    if blank not in BLANK_POLICIES:
        raise UsageError(f"--blank 只能是 {'/'.join(BLANK_POLICIES)}", f"blank must be one of {BLANK_POLICIES}")
    reg = registry or default_registry()
    source = Source.open(path_or_bytes, name=name)
    options = LoadOptions(password=password, timeout=timeout)
    options.read_as = lambda src, name: _load(reg, src, options, name)
    with time_limit(timeout, source.name):
        doc = _load(reg, source, options, loader)
    return build_report(doc, source, reg, layout=layout, blank=blank)


def _load(reg: Registry, source: Source, options: LoadOptions, loader: str | None):
    """The chosen (or named) loader reads ``source``; a library's error becomes ours."""
    chosen = reg.choose_loader(source, loader)
    try:
        doc = chosen.load(source, options)
    except GovconvError as e:
        e.path = e.path or source.name
        raise
    except (RecursionError, MemoryError) as e:
        raise _structure_error(e, source.name) from None
    except Exception as e:
        inner = wrapped_error(e)
        if isinstance(inner, GovconvError):
            inner.path = inner.path or source.name
            raise inner from None
        if inner is not None:
            raise _structure_error(inner, source.name) from None
        raise
    doc.loader = doc.loader or chosen.name
    doc.format = doc.format or chosen.format
    return doc


def _structure_error(e: BaseException, name: str) -> CorruptInput:
    return CorruptInput(f"文件结构异常，无法读取（{type(e).__name__}）",
                        f"the file's structure cannot be read ({type(e).__name__})", path=name)


def build_report(doc, source: Source, reg: Registry, *, layout: str | None = None, blank: str = "zero") -> Report:
    """Document → Report, with the checks run (for loaders driven by an embedding app)."""
    chosen = reg.choose_layout(doc, layout, source.name)
    report = chosen.parse(doc, ReadOptions(blank=blank), reg.convention(chosen.convention))
    report.source = SourceInfo(file=source.name, format=doc.format, sha256=source.sha256,
                               loader=doc.loader, size=len(source.data))
    report.findings[:0] = doc.findings
    run_checks(report, reg.checks.values())
    remove_nul(report)
    return report
