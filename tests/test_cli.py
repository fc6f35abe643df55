"""The govconv command: output, exit codes, messages, batches, and a fast --help."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS, expected, validate_report_json, wrong_cells
from govconv import ExitCode

SEED = SEEDS / "002_4a81d0f783bbd2ce.txt"


def run(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-c", "from govconv.cli import main; raise SystemExit(main())",
                           *map(str, args)], capture_output=True, cwd=cwd, timeout=120,
                          env={**os.environ, **(env or {})})


def one_line_error(p) -> str:
    """The error the user sees: one line naming the problem in Chinese and English, no traceback."""
    lines = [l for l in p.stderr.decode().splitlines() if not l.startswith("govconv: 插件")]
    assert len(lines) == 1, p.stderr.decode()
    assert "Traceback" not in p.stderr.decode()
    assert " / " in lines[0] and any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    return lines[0]


def test_help_does_not_import_heavy_libraries():
    code = ("import sys\nfrom govconv.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pdfplumber', 'pdfminer', 'docx', 'lxml', 'sqlalchemy') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "usage: govconv" in p.stdout
    assert "HEAVY []" in p.stdout, p.stdout


def test_json_to_stdout():
    p = run(SEED, "--to", "json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    validate_report_json(d)
    assert not wrong_cells(d["tables"], expected(SEED.stem)["tables"])


def test_output_file_is_written_whole(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("old")
    p = run(SEED, "-o", out)
    assert p.returncode == 0 and p.stdout == b""
    assert json.loads(out.read_text("utf-8"))["layout"] == "gov2021"
    assert [f.name for f in tmp_path.iterdir()] == ["r.json"]      # no temporary file left behind


def test_output_error_leaves_nothing(tmp_path):
    p = run(SEED, "-o", tmp_path / "missing-dir" / "r.json")
    assert p.returncode == ExitCode.OUTPUT
    assert "r.json" in one_line_error(p)


def test_layout_can_be_forced():
    d = json.loads(run(SEED, "--layout", "gov2019").stdout)
    assert d["layout"] == "gov2019"
    # the 2021 tables do not fit the 2019 template: that is said, not hidden
    assert "table.missing" in {f["rule"] for f in d["findings"]}


def test_blank_option():
    d = json.loads(run(SEEDS / "004_47b4ce0c4832982f.txt", "--blank", "null").stdout)
    assert d["tables"]["applications"]["new"]["commercial"] is None


@pytest.mark.parametrize("args,code", [
    (["--to", "nosuch"], ExitCode.USAGE),
    (["--layout", "nosuch"], ExitCode.USAGE),
    (["--blank", "maybe"], ExitCode.USAGE),
    (["--frobnicate"], ExitCode.USAGE),
])
def test_usage_errors(args, code):
    p = run(SEED, *args)
    assert p.returncode == code
    one_line_error(p)


def test_missing_file(tmp_path):
    p = run(tmp_path / "nope.txt")
    assert p.returncode == ExitCode.INPUT_NOT_FOUND
    assert "nope.txt" in one_line_error(p)


def test_unsupported_format(tmp_path):
    f = tmp_path / "picture.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    p = run(f)
    assert p.returncode == ExitCode.UNSUPPORTED
    assert "picture.png" in one_line_error(p)


def test_not_a_report(tmp_path):
    f = tmp_path / "letter.txt"
    f.write_text("尊敬的读者：\n这不是年度报告。\n", "utf-8")
    p = run(f)
    assert p.returncode == ExitCode.NOT_A_REPORT
    one_line_error(p)


def test_a_directory_is_read_recursively(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "notes.md").write_text("not a report format")      # no loader takes .md: not an input
    p = run(tmp_path)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["source"]["file"] == "a.txt"


def test_a_batch_goes_on_past_a_bad_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\x80 not text \xff" * 20)
    p = run(SEEDS / "000_b9275629afd0157f.txt", bad, tmp_path / "missing.txt", SEED)
    assert p.returncode == ExitCode.CORRUPT          # the first failure's code
    reports = json.loads(p.stdout)
    validate_report_json(reports)
    assert sorted(r["source"]["file"] for r in reports) == ["000_b9275629afd0157f.txt", SEED.name]
    lines = p.stderr.decode().splitlines()
    errors = sorted(l for l in lines if not l.startswith(("govconv: 插件", "govconv: 完成")))
    assert len(errors) == 2 and "bad.txt" in errors[0] and "missing.txt" in errors[1]
    assert lines[-1].startswith("govconv: 完成：2 个已转换") and "2 failed" in lines[-1]


def test_all_five_seeds_in_one_run():
    p = run(*sorted(SEEDS.glob("*.txt")))
    assert p.returncode == 0
    got = {r["source"]["file"]: r["meta"]["agency"] for r in json.loads(p.stdout)}    # in completion order
    assert got == {s.name: expected(s.stem)["meta"]["agency"] for s in sorted(SEEDS.glob("*.txt"))}


def test_formats_lists_loaders_layouts_and_exporters():
    out = run("formats").stdout.decode()
    for line in ("loader    txt", "layout    gov2019", "layout    gov2021", "exporter  json"):
        assert line in out


def test_schema_command_prints_the_shipped_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "govconv report"


def test_plugins_subcommand_name_wins_over_the_plugins_folder(tmp_path):
    (tmp_path / "plugins").mkdir()
    assert run("plugins", cwd=tmp_path).returncode == 0


def test_a_file_named_like_a_command_is_still_convertible(tmp_path):
    f = tmp_path / "plugins"
    f.write_bytes(SEED.read_bytes())
    assert b"provides" in run("plugins", cwd=tmp_path).stdout           # the command wins
    for argv in (["convert", "plugins"], ["./plugins"], ["--", "plugins"]):
        p = run(*argv, cwd=tmp_path)
        assert p.returncode == 0, (argv, p.stderr)
        assert json.loads(p.stdout)["source"]["file"] == "plugins"


def test_schema_xml_prints_the_shipped_xsd():
    out = run("schema", "xml").stdout.decode()
    assert out.startswith("<?xml") and "urn:govconv:report:1" in out


def test_python_dash_m_govconv():
    p = subprocess.run([sys.executable, "-m", "govconv", str(SEED)], capture_output=True, cwd=ROOT)
    assert p.returncode == 0 and json.loads(p.stdout)["layout"] == "gov2021"


def test_convert_takes_a_binary_file_object():
    import govconv
    with open(SEED, "rb") as f:
        report = govconv.convert(f)
    assert report.layout == "gov2021" and report.source.file == SEED.name


def test_policies_are_checked_at_the_api_boundary():
    import govconv
    from govconv.errors import UsageError
    from govconv.reading.source import Source

    doc = govconv.Registry().loaders["txt"].load(Source.open(SEED), govconv.LoadOptions())
    for call in (lambda: govconv.convert(SEED, blank="nul"),
                 lambda: govconv.build_report(doc, Source.open(SEED), govconv.default_registry(), blank="nul")):
        with pytest.raises(UsageError) as e:
            call()
        assert "nul" in e.value.en and "zero" in e.value.en
