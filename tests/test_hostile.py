"""The hostile reproducers of fixtures/hostile/, run through the command as a user would.

Every file of ``fixtures/hostile/expected.json`` (its format: the docstring of
``fixtures/build_hostile.py``) must end with its exit code; an error is one
line on stderr, in Chinese and English, with the expected word and no
traceback; exit code 70 (a bug) is never right.  A file that converts carries
exactly the expected finding rules and is written with every output format.
"""
from __future__ import annotations

import json
import re
import io
import sqlite3
import subprocess
import sys
import zipfile
from importlib import resources

import pytest

from conftest import FIXTURES, ROOT, validate_report_json
from govconv.cli import main

HOSTILE = FIXTURES / "hostile"
MANIFEST = json.loads((HOSTILE / "expected.json").read_text("utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3}")
OUTPUTS = [("json", ()), ("xml", ()), ("sql", ("--dialect", "sqlite")), ("sql", ("--dialect", "postgresql")),
           ("sql", ("--dialect", "mysql")), ("sqlite", ())]


def run(capfd, *argv) -> tuple[int, str, str]:
    """The command in this process; stdout and stderr as the file descriptors saw them
    (a library writing to fd 2 directly, or a worker process, is caught too)."""
    capfd.readouterr()
    code = main([str(a) for a in argv])
    out, err = capfd.readouterr()
    return code, out, err


def assert_one_line_error(err: str, word: str | None) -> None:
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert " / " in line and CJK.search(line) and LATIN.search(line), line
    if word:
        assert word.lower() in line.lower(), (word, line)


def test_the_manifest_lists_files_that_exist():
    assert MANIFEST, "fixtures/hostile/expected.json is empty"
    for name, expect in MANIFEST.items():
        assert (HOSTILE / name).is_file(), f"{name} is listed but not in fixtures/hostile/"
        assert isinstance(expect.get("exit"), int), name
        assert expect["exit"] != 70, f"{name}: exit code 70 is a bug, never an expectation"
        assert set(expect) <= {"exit", "stderr", "findings", "args", "why"}, name
    listed = set(MANIFEST) | {"expected.json"}
    assert sorted(p.name for p in HOSTILE.iterdir() if p.name not in listed) == []


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_hostile_file(name, capfd):
    expect = MANIFEST[name]
    path = HOSTILE / name
    code, out, err = run(capfd, path, "--to", "json", *expect.get("args", ()))
    assert code != 70, err
    assert code == expect["exit"], err
    if code:
        assert_one_line_error(err, expect.get("stderr"))
        assert out == ""
        return
    assert "Traceback" not in err and err == "", err
    report = json.loads(out)
    validate_report_json(report)
    assert sorted({f["rule"] for f in report["findings"]}) == sorted(expect.get("findings", [])), \
        [f["message"] for f in report["findings"]]


@pytest.mark.parametrize("name", sorted(n for n, e in MANIFEST.items() if e["exit"] == 0))
def test_hostile_report_goes_to_every_output(name, capfd, tmp_path):
    """Every exporter and every SQL dialect takes every report that converts."""
    expect = MANIFEST[name]
    for to, extra in OUTPUTS:
        target = tmp_path / f"{to}-{'-'.join(extra) or 'out'}"
        code, _, err = run(capfd, HOSTILE / name, "--to", to, *extra, "-o", target, *expect.get("args", ()))
        assert code == 0, (to, extra, err)
        assert target.stat().st_size > 0
        if extra == ("--dialect", "sqlite"):
            conn = sqlite3.connect(":memory:")
            conn.executescript(target.read_text("utf-8"))
            assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
            conn.close()
        if to == "sqlite":
            conn = sqlite3.connect(target)
            assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
            conn.close()
        if to == "xml":
            from lxml import etree

            xsd = etree.XMLSchema(etree.fromstring(resources.files("govconv").joinpath("schemas/report.xsd")
                                                   .read_bytes()))
            assert xsd.validate(etree.parse(str(target))), xsd.error_log.last_error


def test_all_hostile_files_in_one_batch():
    """A fresh interpreter, every file in one batch: the good ones are written, each bad one says so
    in one line, and the exit code is that of the first failure."""
    names = sorted(MANIFEST)
    proc = subprocess.run([sys.executable, "-c", "from govconv.cli import main; raise SystemExit(main())",
                           *(str(HOSTILE / n) for n in names), "--to", "json"],
                          capture_output=True, cwd=ROOT, timeout=300)
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    failing = [n for n in names if MANIFEST[n]["exit"]]
    assert proc.returncode == (MANIFEST[failing[0]]["exit"] if failing else 0), err
    *lines, summary = err.splitlines()                # the batch ends with its one-line summary
    assert summary.startswith("govconv: 完成") and f"{len(failing)} failed" in summary, summary
    assert len(lines) == len(failing), err
    for n in failing:                                  # results come in completion order
        [line] = [l for l in lines if f"/{n}: " in l]
        assert_one_line_error(line, MANIFEST[n].get("stderr"))
    converted = json.loads(proc.stdout)
    converted = converted if isinstance(converted, list) else [converted]
    assert sorted(r["source"]["file"] for r in converted) == [n for n in names if not MANIFEST[n]["exit"]]


# -- the docx loader: every way of opening a part fails as the file's fault, in one line ------------------

def docx_with(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def seed_docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / "docx" / "002_4a81d0f783bbd2ce.docx") as z:
        return {n: z.read(n) for n in z.namelist()}


def corrupt_error(data: bytes):
    import govconv
    from govconv.errors import CorruptInput

    with pytest.raises(CorruptInput) as e:
        govconv.convert(data, name="x.docx")
    message = e.value.message()
    assert "\n" not in message and "\r" not in message, message
    return e.value


@pytest.mark.parametrize("method", [zipfile.ZIP_LZMA, zipfile.ZIP_BZIP2, zipfile.ZIP_DEFLATED])
def test_damaged_compressed_data_of_every_method(method):
    parts = seed_docx_parts()
    data = bytearray(docx_with(parts, method))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start, start + 16):
        data[k] ^= 0x5A
    assert "word/document.xml" in corrupt_error(bytes(data)).en


@pytest.mark.parametrize("encoding,declared", [("cp037", "IBM037"), ("cp500", "IBM500"), ("utf-7", "UTF-7"),
                                               ("utf-32-le", "UTF-32"), ("utf-16-be", "UTF-16")])
def test_a_doctype_in_any_encoding_is_refused(encoding, declared):
    parts = seed_docx_parts()
    xml = (f'<?xml version="1.0" encoding="{declared}"?>\n<!DOCTYPE w:document [<!ENTITY x "y">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    parts["word/document.xml"] = xml.encode(encoding)
    assert "DOCTYPE" in corrupt_error(docx_with(parts)).en


def test_an_unknown_declared_encoding_is_refused():
    parts = seed_docx_parts()
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'encoding="UTF-8"', b'encoding="X-NOPE"', 1)
    assert "X-NOPE" in corrupt_error(docx_with(parts)).en


def test_names_and_messages_from_the_file_stay_on_one_line():
    parts = seed_docx_parts()
    rels = parts["_rels/.rels"].replace(b'Target="word/document.xml"', b'Target="word/doc&#10;ument.xml"')
    parts["_rels/.rels"] = rels
    parts["word/doc\nument.xml"] = b"<not xml"
    corrupt_error(docx_with(parts))
