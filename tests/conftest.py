"""Shared test helpers: where the fixtures live, the JSON Schema check, a registry of the
built-in plugins, and the ``govconv`` command run in this process (``cli``)."""
from __future__ import annotations

import json
import os
import sys
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"
REALWORLD = FIXTURES / "realworld"
IN_CI = os.environ.get("CI") == "true"

SEED_NAMES = sorted(p.stem for p in SEEDS.glob("*.txt"))


def realworld_file(name: str) -> Path:
    """A real published document of fixtures/realworld/ (part of the repository: never skipped)."""
    path = REALWORLD / name
    assert path.exists(), f"{path} is missing from the repository"
    return path


def expected(seed: str) -> dict:
    return json.loads((SEEDS / "expected" / f"{seed}.json").read_text("utf-8"))


def flat_tables(tables: dict) -> dict:
    """{"a": {"b": {"c": 1}}} -> {"a.b.c": 1}"""
    return {f"{t}.{r}.{c}": v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}


def wrong_cells(got: dict, want: dict) -> list[str]:
    """The addresses whose value differs, each with what was read and what was expected."""
    g, w = flat_tables(got), flat_tables(want)
    out = [f"{k}: got {g.get(k, '<absent>')!r}, want {v!r}" for k, v in w.items() if g.get(k, "<absent>") != v]
    out += [f"{k}: not in the layout" for k in g if k not in w]
    return out


_SCHEMA = None


def validate_report_json(data) -> None:
    """Every JSON the tests produce is checked against the schema shipped in the package."""
    import jsonschema

    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json.loads(resources.files("govconv").joinpath("schemas/report.schema.json").read_text("utf-8"))
    for item in data if isinstance(data, list) else [data]:
        jsonschema.validate(item, _SCHEMA, cls=jsonschema.Draft202012Validator)


def builtin_registry():
    """A registry of govconv's own plugins only (its own entry points, by the allowlist), built
    explicitly: plugins a developer happens to have installed cannot change what the tests see."""
    from importlib import metadata

    from govconv import Registry

    own = sorted(ep.name for ep in metadata.entry_points(group="govconv")
                 if ep.dist is not None and ep.dist.metadata["Name"] == "govconv")
    saved = os.environ.get("GOVCONV_LOAD_PLUGINS")
    os.environ["GOVCONV_LOAD_PLUGINS"] = ",".join(own)
    try:
        return Registry()
    finally:
        if saved is None:
            del os.environ["GOVCONV_LOAD_PLUGINS"]
        else:
            os.environ["GOVCONV_LOAD_PLUGINS"] = saved


@pytest.fixture(scope="session")
def registry():
    return builtin_registry()


class CliRun(NamedTuple):
    """What one ``govconv`` command gave: its exit code, stdout (bytes), stderr (text)."""
    code: int
    out: bytes
    err: str


def run_main(*argv, registry, cwd=None) -> int:
    """``govconv.cli.main(argv, registry=registry)`` in this process; ``GOVCONV_DEBUG`` unset, in
    ``cwd`` if given.  The exit code."""
    from govconv.cli import main

    with pytest.MonkeyPatch.context() as m:
        m.delenv("GOVCONV_DEBUG", raising=False)
        if cwd is not None:
            m.chdir(cwd)
        try:
            return main([str(a) for a in argv], registry=registry)
        except SystemExit as e:           # argparse's --help and --version
            return e.code if isinstance(e.code, int) else 0 if e.code is None else 2


@pytest.fixture
def cli(capfdbinary, registry):
    """``cli(*argv, cwd=None, registry=None) -> CliRun``: the command in this process (``run_main``),
    with the built-in plugins only unless ``registry`` is given.  Output is captured at the file
    descriptors, so what worker processes and libraries write there counts too.  A subprocess is
    for where a fresh interpreter is the point: the console script, ``python -m govconv``,
    imports at start-up, signals, environment read at start-up."""
    builtin = registry

    def run(*argv, cwd=None, registry=None) -> CliRun:
        capfdbinary.readouterr()
        code = run_main(*argv, registry=builtin if registry is None else registry, cwd=cwd)
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = capfdbinary.readouterr()
        return CliRun(code, out, err.decode("utf-8", "replace"))
    return run


# -- hostile inputs and plugins shared by the tests of limits, batches and the PDF loader ----------

def slow_pdf(path: Path) -> Path:
    """One page of 400,000 tiny stroked paths (compressed, under 3 MB): pdfminer needs tens of seconds
    for it, and only the cooperative checkpoints or a killed child stop a conversion of it on time."""
    import zlib

    ops = []
    for i in range(200_000):
        x, y = (i * 37) % 500 + 40, (i * 53) % 700 + 60
        ops.append(b"%d %d m %d %d l S %d %d 0.5 0.5 re S" % (x, y, x + 1, y, x, y + 2))
    content = zlib.compress(b"\n".join(ops) + b"\nBT /F1 12 Tf 72 800 Td (slow) Tj ET")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    assert path.stat().st_size < 3_000_000
    return path


def dying_loader(signum: int):
    """A loader plugin for ``.crash`` files whose reading kills its own process with ``signum``, as a
    crashing C library (SIGSEGV) or the kernel's OOM killer (SIGKILL) would."""
    import govconv

    class Crash(govconv.Loader):
        name, format, extensions = "crash", "crash", ("crash",)

        def accepts(self, source):
            return 1.0 if source.extension == "crash" else 0.0

        def load(self, source, options):
            os.kill(os.getpid(), signum)

    class Dies:
        @govconv.hookimpl
        def register_loaders(self, register):
            register(Crash())

    return Dies()


def convert_in_a_thread(path, **options) -> dict:
    """``govconv.convert(path, **options)`` in a worker thread (joined within 60 s): what came out
    (``error``) and how long it took (``took``); fails when the thread is still running."""
    import threading
    import time

    import govconv

    out: dict = {}

    def work():
        t0 = time.monotonic()
        try:
            govconv.convert(path, **options)
        except BaseException as e:       # noqa: BLE001 - the test reports what came out
            out["error"] = e
        out["took"] = time.monotonic() - t0

    t = threading.Thread(target=work)
    t.start()
    t.join(60)
    assert not t.is_alive(), "the conversion ignored its deadline in a worker thread"
    return out


def one_line_error(p) -> str:
    """The error the user sees (``p`` a :class:`CliRun`): one line naming the problem in Chinese and
    English, no traceback."""
    lines = [l for l in p.err.splitlines() if not l.startswith("govconv: 插件")]
    assert len(lines) == 1, p.err
    assert "Traceback" not in p.err
    assert " / " in lines[0] and any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    return lines[0]
