"""Where a batch's results go, as they arrive: a stream, one file per input, or a database.

Every target takes results in completion order and keeps nothing it has
written, so memory stays flat in the number of inputs:

* :class:`StreamTarget` — an exporter's output on stdout or one ``-o`` file
  (``json`` and ``jsonl`` write report by report; other exporters collect);
* :class:`DirectoryTarget` — ``--out-dir``: one file per input, named after it;
* :class:`DatabaseTarget` — ``--to sqlite -o reports.db`` or
  ``-o postgresql://…``: reports and the ledger go into the database, in chunks.

The **ledger** has one row per input (path, sha256, size, status, exit code,
message, seconds, govconv version, layout).  A database keeps it in its
``inputs`` table; elsewhere ``--ledger FILE`` (JSON Lines) keeps it, and
``--out-dir`` keeps ``govconv-ledger.jsonl`` in the directory.  ``--resume``
skips inputs whose sha256 the ledger records as converted.

A target's ``render`` (None when it needs the reports themselves) is what the
workers make of each report for it: pass it to ``convert_many(...,
render=target.render)`` and the results to :meth:`Target.run`, and the parent
only writes the bytes the workers made (see :mod:`govconv.running.batch`).
"""
from __future__ import annotations

import io
import itertools
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO
import stat
import sys

from govconv.errors import OutputError
from govconv.running.batch import Render, Result

LEDGER_NAME = "govconv-ledger.jsonl"


@dataclass
class LedgerEntry:
    path: str
    sha256: str | None
    size: int | None
    status: str                  # "ok" | "failed"
    exit_code: int
    message: str | None
    seconds: float
    govconv_version: str
    layout: str | None
    finished_at: str

    @classmethod
    def of(cls, result: Result) -> "LedgerEntry":
        from govconv import __version__

        f = result.failure
        return cls(result.path, result.sha256, result.size, "ok" if result.ok else "failed",
                   0 if f is None else f.exit_code, None if f is None else f.message,
                   round(result.seconds, 3), __version__, result.layout if result.ok else None,
                   time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))


class JsonlLedger:
    """The ledger as a JSON Lines file, appended to (and read back for ``--resume``)."""

    def __init__(self, path: Path):
        self.path = path
        self.ok: set[str] = set()
        if path.exists():
            with path.open(encoding="utf-8", errors="replace") as f:
                for line in f:
                    try:
                        row = json.loads(line)
                    except ValueError:
                        continue
                    if row.get("status") == "ok" and row.get("sha256"):
                        self.ok.add(row["sha256"])
        self._f: TextIO | None = None

    def record(self, entry: LedgerEntry) -> None:
        if self._f is None:
            self._f = self.path.open("a", encoding="utf-8")
        self._f.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        self._f.flush()
        if entry.status == "ok" and entry.sha256:
            self.ok.add(entry.sha256)

    def done(self, sha256: str) -> bool:
        return sha256 in self.ok

    def close(self) -> None:
        if self._f is not None:
            self._f.close()


#: exporters whose output for several reports is their outputs for each, one after the other: the
#: workers can render for a stream of these (the others write a header, a footer or separators)
CONCATENATED = frozenset({"jsonl"})


@dataclass
class ExportBytes:
    """A target's ``render``: the exporter's bytes for one report, made in the worker."""

    exporter: Any
    options: dict

    def __call__(self, report) -> bytes:
        buffer = io.BytesIO()
        self.exporter.stream([report], buffer, self.options)
        return buffer.getvalue()


class _Written:
    """Stands for the exporter in :func:`write_output` when the workers rendered: writes their bytes."""

    needs_path = False

    def __init__(self, exporter):
        self.name = exporter.name

    def stream(self, results: Iterable[Result], stream, options: dict) -> None:
        for result in results:
            stream.write(result.output)
            stream.flush()             # as the jsonl exporter does: a reader of a pipe gets each report whole


def _rendered(item) -> bool:
    return isinstance(item, Result) and item.output is not None


def _report(item):
    """The report of a result; a report is taken as it is (what the CLI passed before ``render``)."""
    return item.report if isinstance(item, Result) else item


class Target:
    """Base: takes the converted results of a batch; ``done(sha256)`` answers --resume."""

    ledger: JsonlLedger | None = None
    render: Render | None = None

    def run(self, results: Iterator) -> None:
        for result in results:
            self.write(result)

    def write(self, result) -> None:
        raise NotImplementedError

    def record(self, entry: LedgerEntry) -> None:
        if self.ledger is not None:
            self.ledger.record(entry)

    def done(self, sha256: str) -> bool:
        return self.ledger is not None and self.ledger.done(sha256)

    def close(self) -> None:
        if self.ledger is not None:
            self.ledger.close()


class StreamTarget(Target):
    """An exporter's output on stdout or in one file, written as the reports arrive."""

    def __init__(self, exporter, output: str | None, options: dict, ledger: JsonlLedger | None):
        self.exporter, self.output, self.options = exporter, output, options
        self.ledger = ledger
        if exporter.name in CONCATENATED and not exporter.needs_path:
            self.render = ExportBytes(exporter, options)

    def run(self, results: Iterator) -> None:
        first = next(results, None)
        if first is None:
            return                       # nothing converted: nothing written
        items = itertools.chain([first], results)
        if _rendered(first):
            write_output(_Written(self.exporter), items, self.output, self.options)
        else:
            write_output(self.exporter, map(_report, items), self.output, self.options)


class DirectoryTarget(Target):
    """``--out-dir``: one output file per input, named after it (``report.pdf`` → ``report.json``)."""

    def __init__(self, exporter, directory: str, options: dict, ledger_path: str | None):
        self.exporter, self.dir, self.options = exporter, Path(directory), options
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputError(f"无法创建输出目录（{e.strerror}）", f"cannot create the output directory "
                              f"({e.strerror})", path=directory) from None
        self.ledger = JsonlLedger(Path(ledger_path) if ledger_path else self.dir / LEDGER_NAME)
        self._taken: set[str] = set()
        if not exporter.needs_path:
            self.render = ExportBytes(exporter, options)

    def write(self, result) -> None:
        if _rendered(result):
            exporter, items, file, sha256 = _Written(self.exporter), [result], result.path, result.sha256
        else:
            report = _report(result)
            exporter, items, file, sha256 = self.exporter, [report], report.source.file, report.source.sha256
        stem = Path(file or "report").stem or "report"
        name = f"{stem}.{self.exporter.extension}"
        if name in self._taken:
            name = f"{stem}-{(sha256 or '')[:8]}.{self.exporter.extension}"
        self._taken.add(name)
        write_output(exporter, items, str(self.dir / name), self.options)


class DatabaseTarget(Target):
    """SQLite or PostgreSQL through the relational model: reports and ledger in the database."""

    def __init__(self, where: str, templates):
        from govconv.relational import open_target

        if "://" not in where and _kind(Path(where)) in ("special", "directory"):
            raise OutputError("SQLite 数据库须是一个普通文件", "a SQLite database must be a regular file",
                              path=where)
        from govconv.relational.model import RowsFor

        self.db = open_target(where, templates)
        self.render = RowsFor(self.db.templates)      # the workers make the rows; the parent only writes

    def write(self, result) -> None:
        if _rendered(result):
            self.db.write_rows(*result.output)
        else:
            self.db.write(_report(result))

    def record(self, entry: LedgerEntry) -> None:
        self.db.record(asdict(entry))

    def done(self, sha256: str) -> bool:
        return self.db.done(sha256)

    def close(self) -> None:
        self.db.close()


def is_database_url(output: str | None) -> bool:
    return bool(output and output.split("://", 1)[0].split("+", 1)[0] in ("postgresql", "postgres", "sqlite"))


@dataclass
class Tally:
    """What a batch came to, counted as results arrive (nothing is kept)."""

    converted: int = 0
    with_findings: int = 0
    skipped: int = 0
    failed: int = 0
    first_failure: tuple[int, int] | None = None        # (input index, exit code) of the earliest input
    codes: dict[int, int] | None = None

    def add(self, result: Result, index: int) -> None:
        if result.skipped:
            self.skipped += 1
        elif result.ok:
            self.converted += 1
            self.with_findings += bool(result.findings)
        else:
            assert result.failure is not None           # neither skipped nor converted: failed
            self.failed += 1
            code = result.failure.exit_code
            self.codes = self.codes or {}
            self.codes[code] = self.codes.get(code, 0) + 1
            if self.first_failure is None or index < self.first_failure[0]:
                self.first_failure = (index, code)

    @property
    def exit_code(self) -> int:
        """The exit code of the earliest input (in the order given) that failed; 0 when none did."""
        return self.first_failure[1] if self.first_failure else 0

    def line(self, seconds: float) -> tuple[str, str]:
        """The one line said at the end of a batch, in Chinese and English."""
        by_code = ", ".join(f"exit {c}: {n}" for c, n in sorted((self.codes or {}).items()))
        zh = (f"完成：{self.converted} 个已转换（其中 {self.with_findings} 个有发现），{self.failed} 个失败"
              + (f"（{by_code}）" if by_code else "") + (f"，{self.skipped} 个已跳过" if self.skipped else "")
              + f"，用时 {seconds:.1f} 秒")
        en = (f"done: {self.converted} converted ({self.with_findings} with findings), {self.failed} failed"
              + (f" ({by_code})" if by_code else "") + (f", {self.skipped} skipped (--resume)" if self.skipped else "")
              + f", {seconds:.1f} s")
        return zh, en


def refuse_overwriting_inputs(output: str | None, inputs: list[str]) -> None:
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


def write_output(exporter, reports, output: str | None, options: dict) -> None:
    """Write to stdout, or to ``output`` as the user meant it.

    A regular file (or a new one) is replaced atomically: written beside it,
    then renamed over it, keeping an existing file's mode (a new one follows
    the umask); a symlink is followed and the file it points to is replaced,
    the link stays.  A device, FIFO or socket (``/dev/null``, ``/dev/stdout``)
    is written to as it is, never replaced.  A directory is refused.  No
    temporary file survives an interruption.
    """
    if output is None or output == "-":
        exporter.stream(reports, sys.stdout.buffer, options)
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
            exporter.export_to_path(list(reports), target, options)
            return
        if kind == "special":
            with open(target, "wb") as stream:
                exporter.stream(reports, stream, options)
            return
        real = Path(os.path.realpath(target))
        mode = stat.S_IMODE(real.stat().st_mode) if kind == "regular" else 0o666 & ~_umask()
        import tempfile              # only when writing to a file

        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                exporter.stream(reports, stream, options)
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
