"""Many inputs: folders, globs and lists; supervised workers; nothing lost; a ledger; --resume.

The folder here is a small crawl: every seed report as .txt and .docx, the
real PDF, web pages, and broken files among them (garbage, a truncated PDF, a
scan-like empty PDF, a file no loader reads, a crafted slow PDF).
"""
from __future__ import annotations

import io
import json
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

import govconv
from conftest import FIXTURES, ROOT, SEEDS, dying_loader, slow_pdf
from govconv.errors import ExitCode
from govconv.running.batch import convert_many, expand_inputs

GOOD = ([SEEDS / f"{s}.txt" for s in ("000_b9275629afd0157f", "002_4a81d0f783bbd2ce", "004_47b4ce0c4832982f")]
        + [FIXTURES / "docx" / "003_0e647fe07d6d618f.docx", FIXTURES / "realworld" / "huaian-city-2024.pdf",
           FIXTURES / "html" / "001_fb2a13aa5693ffc1.portal.html"])


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    root = tmp_path_factory.mktemp("crawl")
    (root / "a" / "b").mkdir(parents=True)
    for i, src in enumerate(GOOD):
        shutil.copy(src, (root / "a" if i % 2 else root / "a" / "b") / src.name)
    (root / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes((i * 7919) % 251 for i in range(3000)))
    (root / "a" / "truncated.pdf").write_bytes((FIXTURES / "realworld" / "huaian-city-2024.pdf").read_bytes()[:4000])
    (root / "a" / "empty.txt").write_bytes(b"")
    (root / "notes.md").write_text("no loader reads .md: not an input")
    return root


def cli(*args, stdin=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "govconv", *map(str, args)], capture_output=True, cwd=ROOT,
                          input=stdin, timeout=timeout)


def by_file(reports):
    return {r["source"]["file"]: r for r in reports}


def test_expand_directories_globs_and_lists(crawl, tmp_path):
    exts = {"txt", "pdf", "docx", "html"}
    found = list(expand_inputs([str(crawl)], exts))
    assert len(found) == len(GOOD) + 3 and not any(p.endswith(".md") for p in found)
    pattern = str(crawl / "**" / "*.pdf")
    assert sorted(expand_inputs([pattern], exts)) == sorted(p for p in found if p.endswith(".pdf"))
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(found[:3]) + "\n\n", "utf-8")
    assert list(expand_inputs([], exts, from_list=str(listing))) == found[:3]
    assert list(expand_inputs([found[0]], exts, from_list="-", stdin=io.StringIO(found[0] + "\n"))) == found[:1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crawl_folder_nothing_lost(crawl, tmp_path, jobs):
    ledger = tmp_path / "ledger.jsonl"
    p = cli(crawl, "-j", jobs, "--to", "jsonl", "--ledger", ledger)
    assert p.returncode == ExitCode.CORRUPT, p.stderr.decode()     # the first broken input's code
    reports = [json.loads(line) for line in p.stdout.splitlines()]
    assert sorted(by_file(reports)) == sorted(src.name for src in GOOD)
    rows = [json.loads(line) for line in ledger.read_text("utf-8").splitlines()]
    assert len(rows) == len(GOOD) + 3                               # one row per input, failures too
    assert {r["status"] for r in rows} == {"ok", "failed"}
    for r in rows:
        assert set(r) >= {"path", "sha256", "size", "status", "exit_code", "message", "seconds",
                          "govconv_version", "layout"}
        assert (r["status"] == "ok") == (r["exit_code"] == 0) == (r["layout"] is not None)
    *errors, summary = p.stderr.decode().splitlines()
    assert len(errors) == 3 and summary.startswith("govconv: 完成：6 个已转换")
    assert "3 failed (exit 5: 2, exit 9: 1)" in summary


def test_resume_skips_what_is_done(crawl, tmp_path):
    out = tmp_path / "out"
    first = cli(crawl, "-j", "2", "--out-dir", out)
    assert first.returncode == ExitCode.CORRUPT
    written = sorted(p.name for p in out.iterdir())
    assert "govconv-ledger.jsonl" in written and len(written) == len(GOOD) + 1
    assert {f"{s.stem}.json" for s in GOOD} <= set(written)
    again = cli(crawl, "-j", "2", "--out-dir", out, "--resume")
    summary = again.stderr.decode().splitlines()[-1]
    assert f"{len(GOOD)} skipped" in summary and "0 converted" in summary, summary
    rows = (out / "govconv-ledger.jsonl").read_text("utf-8").splitlines()
    assert len(rows) == 2 * (len(GOOD) + 3) - len(GOOD)              # failures are tried again, not the rest


def test_a_killed_or_slow_worker_costs_its_input_only(tmp_path):
    from conftest import builtin_registry

    reg = builtin_registry()
    reg.register_plugin(dying_loader(signal.SIGKILL), name="dies")
    crash = tmp_path / "x.crash"
    crash.write_bytes(b"boom")
    slow = slow_pdf(tmp_path / "slow.pdf")
    inputs = [str(crash), str(slow)] + [str(p) for p in GOOD[:3]] + [str(crash)]
    t0 = time.monotonic()
    results = list(convert_many(inputs, jobs=2, timeout=2, registry=reg))
    assert time.monotonic() - t0 < 30
    assert sorted(r.path for r in results) == sorted(inputs)
    outcome = {os.path.basename(r.path): (r.ok, r.failure and r.failure.exit_code) for r in results}
    assert outcome["slow.pdf"] == (False, ExitCode.TIMEOUT)
    assert outcome["x.crash"][0] is False
    assert all(outcome[p.name] == (True, None) for p in GOOD[:3])


def test_one_input_in_one_supervised_child(tmp_path):
    """What the CLI does for a single input (no pool): a crash, an overrun and a success are results."""
    from conftest import builtin_registry
    from govconv.running.batch import convert_supervised

    reg = builtin_registry()
    reg.register_plugin(dying_loader(signal.SIGKILL), name="dies")
    crash = tmp_path / "x.crash"
    crash.write_bytes(b"boom")
    died = convert_supervised(str(crash), {"registry": reg}, timeout=30)
    assert not died.ok and died.failure.kind == "memory"        # SIGKILL: what the kernel's OOM killer sends
    assert died.sha256 == hashlib.sha256(b"boom").hexdigest()
    slow = convert_supervised(str(slow_pdf(tmp_path / "slow.pdf")), {"registry": reg}, timeout=1)
    assert (slow.ok, slow.failure.exit_code) == (False, ExitCode.TIMEOUT)
    good = convert_supervised(str(GOOD[0]), {"registry": reg})
    assert good.ok and good.report.layout in ("gov2019", "gov2021") and good.sha256 == good.report.source.sha256


def test_convert_many_yields_failures_as_values(tmp_path):
    missing = str(tmp_path / "missing.txt")
    results = list(convert_many([str(GOOD[0]), missing], jobs=1))
    ok = [r for r in results if r.ok]
    bad = [r for r in results if not r.ok]
    assert len(ok) == 1 and ok[0].report.layout == "gov2019" and ok[0].sha256
    assert bad[0].path == missing and bad[0].failure.exit_code == ExitCode.INPUT_NOT_FOUND
    assert "不存在" in bad[0].failure.message_zh and "no such file" in bad[0].failure.message_en


def test_progress_on_request_and_from_list_on_stdin(crawl):
    listing = "\n".join(str(p) for p in GOOD[:3]).encode()
    p = cli("--from-list", "-", "--progress", "-j", "2", "--to", "jsonl", stdin=listing)
    assert p.returncode == 0, p.stderr.decode()
    assert len(p.stdout.splitlines()) == 3
    err = p.stderr.decode()
    assert "3/3" in err and "file" in err                   # the bar: done/total and rate
    quiet = cli(*GOOD[:2], "--to", "jsonl")                 # stderr is not a terminal: only the summary
    assert quiet.stderr.decode().splitlines() == [quiet.stderr.decode().splitlines()[-1]]


def test_workers_render_what_the_target_writes(tmp_path):
    """With a target's ``render`` (the CLI's path) the workers send back its bytes, not the report:
    the same files, the same ledger and summary figures, and the API's results keep their reports."""
    from govconv.running import targets

    reg = govconv.default_registry()
    inputs = [str(p) for p in GOOD] + [str(tmp_path / "missing.txt")]
    plain = {r.path: r for r in convert_many(inputs, jobs=2)}
    jsonl = targets.StreamTarget(reg.exporter("jsonl"), str(tmp_path / "rendered.jsonl"), {}, None)
    assert jsonl.render is not None
    assert targets.StreamTarget(reg.exporter("csv"), None, {}, None).render is None   # a header: not per report
    rendered = {r.path: r for r in convert_many(inputs, jobs=2, render=jsonl.render)}
    assert sorted(rendered) == sorted(inputs)
    for path, r in rendered.items():
        p = plain[path]
        assert r.report is None and (r.output is not None) == r.ok == p.ok
        assert (r.sha256, r.size, r.layout, r.findings) == (p.sha256, p.size, p.layout, p.findings)
        if p.ok:
            assert (p.layout, p.findings) == (p.report.layout, len(p.report.findings))
        entry, expected = targets.LedgerEntry.of(r), targets.LedgerEntry.of(p)
        assert (entry.layout, entry.status, entry.exit_code) == (expected.layout, expected.status, expected.exit_code)

    ok = [p for p in inputs if plain[p].ok]
    jsonl.run(rendered[p] for p in ok)
    targets.StreamTarget(reg.exporter("jsonl"), str(tmp_path / "plain.jsonl"), {}, None).run(
        plain[p].report for p in ok)                       # reports, as the CLI passed them before render
    assert (tmp_path / "rendered.jsonl").read_bytes() == (tmp_path / "plain.jsonl").read_bytes()

    one_per_input = targets.DirectoryTarget(reg.exporter("json"), str(tmp_path / "dir"), {"indent": "2"}, None)
    fast = {r.path: r for r in convert_many(inputs, jobs=1, render=one_per_input.render)}
    one_per_input.run(fast[p] for p in ok)
    for p in ok:
        written = (tmp_path / "dir" / f"{os.path.splitext(os.path.basename(p))[0]}.json").read_bytes()
        assert written == one_per_input.render(plain[p].report)


def test_a_folder_given_and_matched_by_a_glob_is_read_once(tmp_path):
    folder = tmp_path / "crawl" / "2021"
    folder.mkdir(parents=True)
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("x", "utf-8")
    got = list(expand_inputs([str(folder), str(tmp_path / "crawl" / "20*")], ["txt"]))
    assert sorted(os.path.basename(p) for p in got) == ["a.txt", "b.txt"]
