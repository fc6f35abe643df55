"""The govconv command: output, exit codes, messages, batches, and a fast --help.

The command runs in this process (conftest's ``cli``); a subprocess only where a fresh
interpreter is the point: what ``--help`` imports, ``python -m govconv``, the console script."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, expected, one_line_error, validate_report_json, wrong_cells
from govconv import ExitCode

SEED = SEEDS / "002_4a81d0f783bbd2ce.txt"


def test_help_does_not_import_heavy_libraries():
    code = ("import sys\nfrom govconv.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pdfplumber', 'pdfminer', 'docx', 'lxml', 'sqlalchemy') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "usage: govconv" in p.stdout
    assert "HEAVY []" in p.stdout, p.stdout


def test_json_to_stdout(cli):
    p = cli(SEED, "--to", "json")
    assert p.code == 0, p.err
    d = json.loads(p.out)
    validate_report_json(d)
    assert not wrong_cells(d["tables"], expected(SEED.stem)["tables"])


def test_output_file_is_written_whole(tmp_path, cli):
    out = tmp_path / "r.json"
    out.write_text("old")
    p = cli(SEED, "-o", out)
    assert p.code == 0 and p.out == b""
    assert json.loads(out.read_text("utf-8"))["layout"] == "gov2021"
    assert [f.name for f in tmp_path.iterdir()] == ["r.json"]      # no temporary file left behind


def test_output_error_leaves_nothing(tmp_path, cli):
    p = cli(SEED, "-o", tmp_path / "missing-dir" / "r.json")
    assert p.code == ExitCode.OUTPUT
    assert "r.json" in one_line_error(p)


def test_layout_can_be_forced(cli):
    d = json.loads(cli(SEED, "--layout", "gov2019").out)
    assert d["layout"] == "gov2019"
    # the 2021 tables do not fit the 2019 template: that is said, not hidden
    assert "table.missing" in {f["rule"] for f in d["findings"]}


def test_blank_option(cli):
    d = json.loads(cli(SEEDS / "004_47b4ce0c4832982f.txt", "--blank", "null").out)
    assert d["tables"]["applications"]["new"]["commercial"] is None


@pytest.mark.parametrize("args,code", [
    (["--to", "nosuch"], ExitCode.USAGE),
    (["--layout", "nosuch"], ExitCode.USAGE),
    (["--blank", "maybe"], ExitCode.USAGE),
    (["--frobnicate"], ExitCode.USAGE),
])
def test_usage_errors(args, code, cli):
    p = cli(SEED, *args)
    assert p.code == code
    one_line_error(p)


def test_missing_file(tmp_path, cli):
    p = cli(tmp_path / "nope.txt")
    assert p.code == ExitCode.INPUT_NOT_FOUND
    assert "nope.txt" in one_line_error(p)


def test_unsupported_format(tmp_path, cli):
    f = tmp_path / "picture.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    p = cli(f)
    assert p.code == ExitCode.UNSUPPORTED
    assert "picture.png" in one_line_error(p)


def test_not_a_report(tmp_path, cli):
    f = tmp_path / "letter.txt"
    f.write_text("尊敬的读者：\n这不是年度报告。\n", "utf-8")
    p = cli(f)
    assert p.code == ExitCode.NOT_A_REPORT
    one_line_error(p)


def test_a_directory_is_read_recursively(tmp_path, cli):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "notes.md").write_text("not a report format")      # no loader takes .md: not an input
    p = cli(tmp_path)
    assert p.code == 0, p.err
    assert json.loads(p.out)["source"]["file"] == "a.txt"


def test_a_batch_goes_on_past_a_bad_file(tmp_path, cli):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\x80 not text \xff" * 20)
    p = cli(SEEDS / "000_b9275629afd0157f.txt", bad, tmp_path / "missing.txt", SEED)
    assert p.code == ExitCode.CORRUPT          # the first failure's code
    reports = json.loads(p.out)
    validate_report_json(reports)
    assert sorted(r["source"]["file"] for r in reports) == ["000_b9275629afd0157f.txt", SEED.name]
    lines = p.err.splitlines()
    errors = sorted(l for l in lines if not l.startswith(("govconv: 插件", "govconv: 完成")))
    assert len(errors) == 2 and "bad.txt" in errors[0] and "missing.txt" in errors[1]
    assert lines[-1].startswith("govconv: 完成：2 个已转换") and "2 failed" in lines[-1]


def test_all_five_seeds_in_one_run(cli):
    p = cli(*sorted(SEEDS.glob("*.txt")))
    assert p.code == 0
    got = {r["source"]["file"]: r["meta"]["agency"] for r in json.loads(p.out)}    # in completion order
    assert got == {s.name: expected(s.stem)["meta"]["agency"] for s in sorted(SEEDS.glob("*.txt"))}


def test_formats_lists_loaders_layouts_and_exporters(cli):
    out = cli("formats").out.decode()
    for line in ("loader    txt", "layout    gov2019", "layout    gov2021", "exporter  json"):
        assert line in out


def test_schema_command_prints_the_shipped_schema(cli):
    schema = json.loads(cli("schema").out)
    assert schema["title"] == "govconv report"


def test_plugins_subcommand_name_wins_over_the_plugins_folder(tmp_path, cli):
    (tmp_path / "plugins").mkdir()
    assert cli("plugins", cwd=tmp_path).code == 0


def test_a_file_named_like_a_command_is_still_convertible(tmp_path, cli):
    f = tmp_path / "plugins"
    f.write_bytes(SEED.read_bytes())
    assert b"provides" in cli("plugins", cwd=tmp_path).out           # the command wins
    for argv in (["convert", "plugins"], ["./plugins"], ["--", "plugins"]):
        p = cli(*argv, cwd=tmp_path)
        assert p.code == 0, (argv, p.err)
        assert json.loads(p.out)["source"]["file"] == "plugins"


def test_schema_xml_prints_the_shipped_xsd(cli):
    out = cli("schema", "xml").out.decode()
    assert out.startswith("<?xml") and "urn:govconv:report:1" in out


def test_python_dash_m_govconv():
    p = subprocess.run([sys.executable, "-m", "govconv", str(SEED)], capture_output=True, cwd=ROOT)
    assert p.returncode == 0 and json.loads(p.stdout)["layout"] == "gov2021"


def test_the_installed_console_script(tmp_path):
    script = Path(sys.executable).with_name("govconv")
    if not script.exists():
        pytest.skip(f"no console script beside {sys.executable}")
    p = subprocess.run([str(script), str(SEED), "--to", "json"], capture_output=True, timeout=120)
    assert p.returncode == 0 and json.loads(p.stdout)["layout"] == "gov2021"
    p = subprocess.run([str(script), str(tmp_path / "nope.txt")], capture_output=True, timeout=120)
    assert p.returncode == ExitCode.INPUT_NOT_FOUND and b"Traceback" not in p.stderr


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


def test_report_options_are_typed_checked_and_keep_their_json_shape():
    import govconv
    from govconv.errors import UsageError

    report = govconv.convert(SEED, blank="null")
    assert report.options == govconv.ReportOptions(blank="null", template_years=(2021, None))
    d = json.loads(json.dumps(report.to_dict()))["options"]
    assert d == {"blank": "null", "template_years": [2021, None]}
    assert govconv.ReportOptions.from_dict(d) == report.options
    assert govconv.Report(layout="x").to_dict()["options"] == {}          # built by hand: nothing stored
    for bad in (dict(blank="nul"), dict(template_years=(2021,)), dict(template_years=(2022, 2021)),
                dict(template_years=("2021", None))):
        with pytest.raises(UsageError):
            govconv.ReportOptions(**bad)
    with pytest.raises(UsageError, match="note"):
        govconv.ReportOptions.from_dict({"blank": "zero", "note": "x"})


@pytest.mark.parametrize("output, written", [("reports.db", "sqlite"), ("all.jsonl", "jsonl"), ("r.xml", "xml"),
                                             ("r.json", "json"), ("r.out", "json")])
def test_the_format_follows_the_output_extension_when_to_is_not_given(tmp_path, cli, output, written):
    import sqlite3

    target = tmp_path / output
    run = cli(SEEDS / "002_4a81d0f783bbd2ce.txt", SEEDS / "003_0e647fe07d6d618f.txt", "-o", target)
    assert run.code == 0, run.err
    data = target.read_bytes()
    if written == "sqlite":
        with sqlite3.connect(target) as db:            # a database with both reports and the ledger
            assert db.execute("SELECT count(*) FROM reports").fetchone() == (2,)
            assert db.execute("SELECT count(*) FROM inputs WHERE status = 'ok'").fetchone() == (2,)
    elif written == "jsonl":
        assert sorted(json.loads(line)["layout"] for line in data.decode().splitlines()) == ["gov2019", "gov2021"]
    elif written == "xml":
        assert data.startswith(b"<?xml")
    else:
        assert len(json.loads(data)) == 2


def test_an_explicit_to_wins_over_the_extension(tmp_path, cli):
    target = tmp_path / "reports.db"
    assert cli(SEEDS / "002_4a81d0f783bbd2ce.txt", "--to", "json", "-o", target).code == 0
    assert json.loads(target.read_bytes())["layout"] == "gov2021"


def test_postgresql_without_its_driver_is_a_usage_error(cli, monkeypatch):
    """-o postgresql://… with psycopg not installed: what to install, exit 2 — never an internal error."""
    monkeypatch.setitem(sys.modules, "psycopg", None)          # import fails as if not installed
    run = cli(SEEDS / "002_4a81d0f783bbd2ce.txt", "-o", "postgresql://nobody@127.0.0.1:1/none")
    assert run.code == ExitCode.USAGE, run.err
    assert "govconv[postgresql]" in run.err and "内部错误" not in run.err
