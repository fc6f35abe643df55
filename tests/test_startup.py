"""Start-up: what a fresh interpreter imports for ``govconv --help`` and for one txt conversion.

A fresh interpreter is the point here, so these run in a subprocess.  Every
plugin registers itself (``--help`` lists their options), but registering must
not import what a plugin needs only when it runs: a format library, the PDF
reading, the relational model, the workbook drawing, the worker pool.  The
speed itself is measured by ``bench/bench_startup.py``, never by a test.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "seeds" / "002_4a81d0f783bbd2ce.txt"

#: imported by nothing but the plugin or command that needs it, when it runs
ONLY_WHEN_USED = (
    "pdfplumber", "pdfminer", "pypdfium2", "docx", "lxml", "sqlalchemy", "openpyxl", "pyarrow", "chardet",
    "tqdm", "multiprocessing", "tempfile", "shutil", "importlib.resources", "traceback",
    "govconv_plugins.pdf.assemble", "govconv_plugins.pdf.pdfium_engine", "govconv_plugins.xlsx_workbook",
    "govconv.relational.model", "govconv.relational.sqla",
)

PROBE = """
import json, sys
from govconv.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as e:
    code = e.code
sys.stdout.flush()
print("\\n" + json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules(*argv: str) -> tuple[set[str], str]:
    p = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    return set(json.loads(p.stderr.strip().splitlines()[-1])), p.stdout


def _loaded(modules: set[str]) -> list[str]:
    return [m for m in ONLY_WHEN_USED if m in modules]


def test_help_lists_every_plugin_without_loading_any_of_their_work():
    modules, out = _modules("--help")
    assert "--pdf-engine" in out and "xlsx" in out          # the plugins did register
    assert {"govconv_plugins.pdf_loader", "govconv_plugins.xlsx_exporter", "govconv_plugins.html_loader"} <= modules
    assert _loaded(modules) == []


def test_one_txt_conversion_loads_only_what_a_txt_needs():
    modules, out = _modules(str(SEED), "--to", "json")
    assert json.loads(out)["layout"] == "gov2021"
    assert _loaded(modules) == []


@pytest.mark.parametrize("argv, needed", [
    (["schema", "xml"], "importlib.resources"),
    ([str(SEED), "--to", "csv"], "govconv.relational.model"),
])
def test_what_a_command_needs_is_loaded_when_it_runs(argv, needed):
    modules, out = _modules(*argv)
    assert out.strip()
    assert needed in modules
