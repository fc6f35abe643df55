"""Fuzzing: mutated real fixtures never end unclean.

A quick set (a few hundred mutants, seeded) runs in every test run;
``GOVCONV_FUZZ=N`` runs N mutants, ``GOVCONV_FUZZ_SEED=S`` another seed.  For
every mutant: no exit 70 (internal error), no traceback, no hang past the
deadline, and an error is one line in Chinese and English.  The batch runs
through the same supervised workers the CLI uses; a sample also goes through
the command itself.  Hypothesis checks the cell parser and label folding on
arbitrary text.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from govconv.errors import ExitCode
from govconv.running.batch import convert_many

sys.path.insert(0, str(FIXTURES))
from fuzz import mutants  # noqa: E402

COUNT = int(os.environ.get("GOVCONV_FUZZ", "240"))
SEED = int(os.environ.get("GOVCONV_FUZZ_SEED", "20261122"))
TIMEOUT = 10


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for name, data in mutants(SEED, COUNT):
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def test_no_mutant_ends_unclean(corpus):
    t0 = time.monotonic()
    results = list(convert_many(corpus, jobs=2, timeout=TIMEOUT))
    took = time.monotonic() - t0
    assert sorted(r.path for r in results) == sorted(corpus), "an input was lost"
    bad = []
    for r in results:
        if r.failure is None:
            continue
        f = r.failure
        if f.exit_code == ExitCode.INTERNAL or "Traceback" in f.message or "\n" in f.message:
            bad.append(f"{os.path.basename(r.path)}: exit {f.exit_code}: {f.message[:300]}")
        elif not (any("\u4e00" <= ch <= "\u9fff" for ch in f.message_zh) and f.message_en):
            bad.append(f"{os.path.basename(r.path)}: not bilingual: {f.message}")
        if r.seconds > TIMEOUT + 5:
            bad.append(f"{os.path.basename(r.path)}: took {r.seconds:.1f} s under a {TIMEOUT} s deadline")
    assert not bad, f"seed {SEED}:\n" + "\n".join(bad)
    assert took < 60 + COUNT * 0.5


def test_the_command_on_a_sample_prints_one_line_per_failure(corpus):
    sample = corpus[:: max(1, len(corpus) // 24)]
    for path in sample:
        p = subprocess.run([sys.executable, "-m", "govconv", path, "--timeout", str(TIMEOUT)], capture_output=True,
                           cwd=ROOT, timeout=TIMEOUT + 30)
        err = p.stderr.decode("utf-8", "replace")
        assert p.returncode != ExitCode.INTERNAL and "Traceback" not in err, (path, err)
        lines = [l for l in err.splitlines() if l.strip()]
        assert len(lines) == (1 if p.returncode else 0), (path, err)
        if p.returncode:
            assert " / " in lines[0], (path, err)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_cell_text_reads_or_is_refused(text):
    from govconv.model.values import AMOUNT, COUNT as COUNT_KIND, SIGNED, parse_cell
    from govconv_plugins.national_conventions import NATIONAL

    for kind in (COUNT_KIND, SIGNED, AMOUNT):
        parsed = parse_cell(text, kind, "元", NATIONAL)
        assert parsed.ok or parsed.value is None
        if parsed.ok and not parsed.blank and kind != AMOUNT:
            assert isinstance(parsed.value, int) and -(2 ** 63) <= parsed.value < 2 ** 63


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_label_folding_is_total(text):
    from govconv.reading import labels

    folded = labels.norm(text)
    assert "\x00" not in folded and "\uffff" not in folded
    assert labels.core(text) == labels.core(labels.norm(text))
    assert 0.0 <= labels.similarity(text, "本年新收政府信息公开申请数量") <= 1.0
