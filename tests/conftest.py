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
