"""The doc loader: Word 97–2003 files (and RTF) through LibreOffice to the docx loader.

The .doc fixtures are the seed .docx files saved by LibreOffice
(fixtures/build_html.py).  They are converted here through soffice — all at
once, in parallel, each with its own private profile — and must read exactly
as their .txt.  Without soffice these tests are skipped (outside CI) or fail
(under CI=true); the checks that need no LibreOffice (encryption, damaged
files, a missing soffice, the process-group kill with a stand-in soffice) always run.
"""
from __future__ import annotations

import io
import os
import stat
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import govconv
from conftest import FIXTURES, IN_CI, SEED_NAMES, SEEDS, expected, validate_report_json, wrong_cells
from govconv import ExitCode, LoadOptions, Source
from govconv.errors import CorruptInput, EncryptedInput, GovconvError, InputTimeout, UnsupportedInput
from govconv_plugins import doc_loader
from govconv_plugins.doc_loader import DocLoader, _Ole, find_soffice, restore_short_rows
from govconv_plugins.docx_loader import DocxLoader

DOC = FIXTURES / "doc"
DOCS = sorted(p.name for p in DOC.glob("*.doc"))
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RTF = (r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}"
       r"\pard \u19968?\u12289?\u24635?\u20307?\u24773?\u20917?\par"
       r"\trowd\cellx2000\cellx4000\intbl \u35268?\u31456?\cell 7\cell\row"
       r"\trowd\cellx2000\cellx4000\intbl \u21512?\u35745?\cell 8\cell\row\pard \par}").encode("ascii")


def need_soffice() -> None:
    if find_soffice():
        return
    if IN_CI:
        pytest.fail("LibreOffice (soffice) is required under CI=true: apt-get install libreoffice-writer-nogui")
    pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")


def seed_of(name: str) -> str:
    return name.split(".")[0]


def running_in(where: Path) -> list[str]:
    """Command lines of live processes working in a conversion directory under ``where``."""
    needle = f"{where}{os.sep}govconv_doc_"
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if needle in cmd and state not in ("Z", "X"):
                out.append(cmd)
    return out


def left_in(where: Path) -> list[str]:
    return [p.name for p in where.glob("govconv_doc_*")]


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Conversions of this test make their directories here (and only their processes name it)."""
    where = tmp_path / "tmp"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    return where


# == 1. the seed reports as .doc, converted in parallel =========================================

@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Every .doc fixture and an RTF, converted at the same time (private profiles: no collision)."""
    need_soffice()
    _ = govconv.default_registry().loaders       # registry ready before the threads start
    where = tmp_path_factory.mktemp("doc")
    saved, tempfile.tempdir = tempfile.tempdir, str(where)

    def doc(name):
        return govconv.convert(DOC / name).to_dict()

    def rtf():
        return DocLoader().load(Source(RTF, "t.rtf"), LoadOptions())   # no pipeline: no read_as

    try:
        with ThreadPoolExecutor(max_workers=len(DOCS) + 1) as pool:
            docs = {name: pool.submit(doc, name) for name in DOCS}
            rtf_doc = pool.submit(rtf)
            return {name: f.result() for name, f in docs.items()}, rtf_doc.result(), where
    finally:
        tempfile.tempdir = saved


def test_every_seed_has_a_doc_fixture():
    missing = [s for s in SEED_NAMES if not (DOC / f"{s}.doc").exists()]
    assert SEED_NAMES and not missing, f"run fixtures/build_html.py: missing {missing}"
    for name in DOCS:
        assert (DOC / name).read_bytes().startswith(doc_loader.OLE_MAGIC)


@pytest.mark.parametrize("name", DOCS)
def test_doc_converts_exactly_like_its_txt(converted, name):
    got = converted[0][name]
    seed = seed_of(name)
    want = expected(seed)
    txt = govconv.convert(SEEDS / f"{seed}.txt").to_dict()
    wrong = wrong_cells(got["tables"], want["tables"])
    assert not wrong, f"{name}: {len(wrong)} wrong cells:\n" + "\n".join(wrong)
    assert not wrong_cells(got["tables"], txt["tables"])
    assert got["layout"] == want["layout"]
    for key in ("year", "agency", "title"):
        assert got["meta"][key] == want["meta"][key] == txt["meta"][key], f"{name}: meta.{key}"
    assert sorted({f["rule"] for f in got["findings"]}) == want["finding_rules"]
    assert [(s["number"], s["text"]) for s in got["sections"]] == [(s["number"], s["text"]) for s in txt["sections"]]
    # a row printed short stays short: not printed (raw None), never a blank read as 0
    assert [a for a, c in txt["cells"].items() if c["raw"] is None] == \
           [a for a, c in got["cells"].items() if c["raw"] is None]
    validate_report_json(got)
    assert got["source"]["format"] == "doc" and got["source"]["loader"] == "doc" and got["source"]["file"] == name


def test_rtf_is_read_through_the_docx_loader(converted):
    doc = converted[1]
    assert doc.format == "rtf" and doc.loader == "doc" and doc.properties["converted_by"] == "LibreOffice"
    assert [b.text for b in doc.paragraphs()][0] == "一、总体情况"
    table = next(doc.tables())
    assert table.grid and table.texts() == [["规章", "7"], ["合计", "8"]]


def test_no_process_or_directory_is_left_behind(converted):
    where = converted[2]
    assert not running_in(where) and not left_in(where)


# == 2. refused before LibreOffice runs ===============================================================

@pytest.fixture
def no_soffice_run(monkeypatch):
    def never(*a, **k):
        raise AssertionError("LibreOffice was started")
    monkeypatch.setattr(subprocess, "Popen", never)


def doc_bytes() -> bytearray:
    return bytearray((DOC / DOCS[0]).read_bytes())


def rename_stream(data: bytearray, old: str, new: str) -> bytearray:
    """The directory entry ``old`` renamed ``new`` (the OLE directory is found by our own reader)."""
    ole = _Ole(bytes(data))
    raw_old = old.encode("utf-16-le") + b"\0\0"
    at = data.find(raw_old, (ole._u32(0x30) + 1) * ole.ss)
    assert at > 0
    raw_new = new.encode("utf-16-le") + b"\0\0"
    data[at:at + 64] = raw_new.ljust(64, b"\0")
    data[at + 0x40:at + 0x42] = struct.pack("<H", len(raw_new))
    return data


def encrypted_doc() -> bytes:
    data = doc_bytes()
    ole = _Ole(bytes(data))
    _, start, size = ole.entries["WordDocument"]
    assert size >= ole.cutoff
    data[(start + 1) * ole.ss + 0x0B] |= 0x01          # FibBase.fEncrypted (0x0100 of the flags at 0x0A)
    return bytes(data)


@pytest.mark.parametrize("kind,error,words", [
    ("encrypted_doc", EncryptedInput, "password"),
    ("encrypted_package", EncryptedInput, "password"),
    ("excel", UnsupportedInput, "Excel"),
    ("truncated", CorruptInput, "damaged or truncated"),
    ("bad_fib", CorruptInput, "File Information Block"),
])
def test_refused_without_starting_libreoffice(no_soffice_run, kind, error, words):
    if kind == "encrypted_doc":
        data = encrypted_doc()
    elif kind == "encrypted_package":
        data = bytes(rename_stream(doc_bytes(), "WordDocument", "EncryptedPackage"))
    elif kind == "excel":
        data = bytes(rename_stream(doc_bytes(), "WordDocument", "Workbook"))
    elif kind == "truncated":
        data = bytes(doc_bytes()[:700])
    else:
        data = doc_bytes()
        ole = _Ole(bytes(data))
        _, start, _ = ole.entries["WordDocument"]
        data[(start + 1) * ole.ss:(start + 1) * ole.ss + 2] = b"\0\0"
        data = bytes(data)
    with pytest.raises(GovconvError) as info:
        govconv.convert(data, name=f"{kind}.doc")
    assert type(info.value) is error, f"{kind}: {type(info.value).__name__}: {info.value}"
    assert words in info.value.message() and info.value.zh and info.value.path == f"{kind}.doc"


def test_without_libreoffice_the_package_to_install_is_named(monkeypatch, no_soffice_run):
    monkeypatch.setattr(doc_loader, "find_soffice", lambda: None)
    with pytest.raises(UnsupportedInput) as info:
        govconv.convert(DOC / DOCS[0])
    e = info.value
    assert e.exit_code == ExitCode.UNSUPPORTED
    assert "apt-get install libreoffice-writer-nogui" in e.zh and "apt-get install libreoffice-writer-nogui" in e.en
    assert "LibreOffice" in e.zh and "LibreOffice" in e.en


# == 3. a stand-in soffice: errors, the time limit, the process group ======================================

def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_libreoffice_failure_is_a_corrupt_input(tmp_path, monkeypatch, private_tmp):
    soffice = fake_soffice(tmp_path, 'echo "Error: source file could not be loaded" >&2; exit 1')
    monkeypatch.setattr(doc_loader, "find_soffice", lambda: soffice)
    with pytest.raises(CorruptInput, match="source file could not be loaded"):
        govconv.convert(DOC / DOCS[0])
    assert not left_in(private_tmp)


def test_time_limit_kills_the_whole_process_group(tmp_path, monkeypatch, private_tmp):
    """The launcher and the child it starts (as soffice starts soffice.bin) are both killed."""
    pids = tmp_path / "pids"
    soffice = fake_soffice(tmp_path, f'sleep 30 & echo $! >> {pids}; echo $$ >> {pids}; wait')
    monkeypatch.setattr(doc_loader, "find_soffice", lambda: soffice)
    started = time.monotonic()
    with pytest.raises(InputTimeout) as info:
        govconv.convert(DOC / DOCS[0], timeout=1.0)
    assert time.monotonic() - started < 10
    assert info.value.exit_code == ExitCode.TIMEOUT and "LibreOffice" in info.value.en
    time.sleep(0.2)
    for pid in map(int, pids.read_text().split()):
        try:
            os.kill(pid, 0)
            state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
            assert state in ("Z", "X"), f"process {pid} still runs"
        except ProcessLookupError:
            pass
    assert not left_in(private_tmp)


def test_real_soffice_is_stopped_at_the_time_limit(private_tmp):
    need_soffice()
    with pytest.raises(InputTimeout):
        govconv.convert(DOC / DOCS[0], timeout=0.5)
    time.sleep(0.3)
    assert not running_in(private_tmp) and not left_in(private_tmp)


# == 4. choosing the loader ======================================================================================

def test_the_doc_loader_is_chosen_for_word_97_files():
    reg = govconv.Registry()
    data = (DOC / DOCS[0]).read_bytes()
    doc, docx = DocLoader(), DocxLoader()
    assert doc.accepts(Source(data, "r.doc")) == 0.95 > docx.accepts(Source(data, "r.doc"))
    assert reg.choose_loader(Source(data, "r.doc")).name == "doc"
    assert reg.choose_loader(Source(data, "r.WPS")).name == "doc"
    # a .doc under another name, even .docx, is still a Word 97 file
    assert reg.choose_loader(Source(data, "r.docx")).name == "doc"
    assert reg.choose_loader(Source(data, "<bytes>")).name == "doc"
    # an OLE file that is no Word 97 document (an encrypted .docx, …) stays the docx loader's
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    assert doc.accepts(Source(fake, "x.docx")) == 0.0
    assert reg.choose_loader(Source(fake, "x.docx")).name == "docx"
    assert doc.accepts(Source(RTF, "x.rtf")) == 0.9 and doc.accepts(Source(RTF, "x.doc")) == 0.9
    for data_, name in ((b"%PDF-1.7", "x.doc"), (b"PK\x03\x04", "x.doc"), (b"<html>", "x.doc")):
        assert doc.accepts(Source(data_, name)) == 0.0


def test_without_the_doc_plugin_the_docx_loader_still_explains(tmp_path):
    from govconv_plugins import docx_loader, gov2019, gov2021, national_conventions

    reg = govconv.Registry(load_entry_points=False)
    for plugin in (docx_loader, gov2019, gov2021, national_conventions):
        reg.register_plugin(plugin)
    with pytest.raises(UnsupportedInput, match="convert-to docx"):
        govconv.convert(DOC / DOCS[0], registry=reg)


# == 5. LibreOffice's padded rows ====================================================================================

def docx_with(rows: str) -> bytes:
    document = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body><w:tbl>{rows}'
                f"</w:tbl></w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", document)
        zf.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


def tc(text: str = "", borders: bool | None = True, extra: str = "") -> str:
    b = {True: '<w:tcBorders><w:top w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/></w:tcBorders>',
         False: "<w:tcBorders></w:tcBorders>", None: ""}[borders]
    return f"<w:tc><w:tcPr>{extra}{b}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def rows_of(docx: bytes) -> list[tuple[int, int, int]]:
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    w = f"{{{W_NS}}}"
    out = []
    for tr in root.iter(f"{w}tr"):
        before = tr.find(f"{w}trPr/{w}gridBefore")
        after = tr.find(f"{w}trPr/{w}gridAfter")
        out.append((int(before.get(f"{w}val")) if before is not None else 0, len(tr.findall(f"{w}tc")),
                    int(after.get(f"{w}val")) if after is not None else 0))
    return out


def test_padded_rows_get_their_grid_after_back():
    pad, span1, merged = tc(borders=False), tc(borders=False, extra='<w:gridSpan w:val="1"/>'), \
        tc(borders=False, extra="<w:vMerge/>")
    docx = docx_with(f"<w:tr>{tc('a')}{tc('b')}{tc('c')}{tc('d')}</w:tr>"
                     f"<w:tr>{tc('e')}{tc('1')}{pad}{span1}</w:tr>"
                     f"<w:tr>{pad}{tc('f')}{tc('2')}{tc('3')}</w:tr>"
                     f"<w:tr>{tc('g')}{tc('x', borders=False)}{merged}{tc('')}</w:tr>")
    fixed, n = restore_short_rows(docx)
    assert n == 2
    assert rows_of(fixed) == [(0, 4, 0), (0, 2, 2), (1, 3, 0), (0, 4, 0)]
    table = next(DocxLoader().load(Source(fixed, "f.docx"), LoadOptions()).tables())
    assert table.texts() == [["a", "b", "c", "d"], ["e", "1"], ["f", "2", "3"], ["g", "x", "", ""]]
    assert [c.col for c in table.rows()[2]] == [1, 2, 3]


def test_tables_without_drawn_borders_and_odd_packages_are_left_alone():
    docx = docx_with(f"<w:tr>{tc('a', None)}{tc('b', None)}</w:tr><w:tr>{tc('c', None)}{tc(borders=False)}</w:tr>")
    assert restore_short_rows(docx) == (docx, 0)
    for odd in (b"not a zip", docx_with("<w:tr>").replace(b"word/document.xml", b"word/other.xml!!!!")):
        assert restore_short_rows(odd) == (odd, 0)


# == 6. the command line ===============================================================================================

def one_bilingual_line(err: str, out: bytes, name: str) -> str:
    assert "Traceback" not in err and out == b""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], err
    assert " / " in lines[0] and any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    return lines[0]


def test_cli_without_soffice_exits_4_naming_the_package(tmp_path, monkeypatch, cli):
    monkeypatch.setenv("PATH", str(tmp_path))
    p = cli(DOC / DOCS[0])
    assert p.code == ExitCode.UNSUPPORTED, p.err
    assert "libreoffice-writer-nogui" in one_bilingual_line(p.err, p.out, DOCS[0])


def test_cli_encrypted_doc_exits_6(tmp_path, cli):
    path = tmp_path / "secret.doc"
    path.write_bytes(encrypted_doc())
    p = cli(path)
    assert p.code == ExitCode.ENCRYPTED, p.err
    one_bilingual_line(p.err, p.out, "secret.doc")


def test_cli_converts_a_doc_and_stops_at_the_time_limit(private_tmp):
    """The real LibreOffice, killed at the time limit with its worker: in a process of its own."""
    need_soffice()
    import json

    def cli(*args) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "govconv", *map(str, args)], capture_output=True, timeout=180,
                              env={**os.environ, "GOVCONV_DEBUG": "", "TMPDIR": str(private_tmp)})

    p = cli(DOC / DOCS[1], "--to", "json")
    assert p.returncode == 0, p.stderr.decode()
    d = json.loads(p.stdout)
    validate_report_json(d)
    assert not wrong_cells(d["tables"], expected(seed_of(DOCS[1]))["tables"]) and d["source"]["loader"] == "doc"
    p = cli(DOC / DOCS[0], "--timeout", "0.5")
    assert p.returncode == ExitCode.TIMEOUT, p.stderr.decode()
    one_bilingual_line(p.stderr.decode(), p.stdout, DOCS[0])
    time.sleep(0.3)
    assert not running_in(private_tmp) and not left_in(private_tmp)
