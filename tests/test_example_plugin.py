"""The example layout plugin of docs/example-plugin: its own rows and its own sum rule, core untouched.

The registry here is built explicitly — govconv's own plugins plus the example
module — so what else happens to be installed cannot change the result.
"""
from __future__ import annotations

import importlib.util

import pytest

import govconv
from conftest import ROOT, SEEDS, builtin_registry

SEED = SEEDS / "002_4a81d0f783bbd2ce.txt"


@pytest.fixture(scope="module")
def registry():
    spec = importlib.util.spec_from_file_location(
        "govconv_example_confirmation", ROOT / "docs" / "example-plugin" / "govconv_example_confirmation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    reg = builtin_registry()
    reg.register_plugin(module, name="example_confirmation")
    return reg


def with_rows(confirmation: str, total: str) -> bytes:
    text = SEED.read_text("utf-8")
    assert "\t行政强制\n\t0\n" in text
    text = text.replace("\t行政强制\n\t0\n", f"\t行政强制\n\t0\n\n\t行政确认\n\t{confirmation}\n\n"
                                             f"\t行政行为合计\n\t{total}\n", 1)
    return text.encode("utf-8")


def test_the_variant_reads_its_rows(registry):
    report = govconv.convert(with_rows("7", "7"), name="ok.txt", registry=registry)
    assert report.layout == "gov2021_confirmation"
    assert report.value("active.confirmation.decisions") == 7
    assert report.value("active.decisions_total.decisions") == 7
    assert report.finding_rules() == []


def test_its_own_sum_rule_fires_on_a_broken_sum(registry):
    report = govconv.convert(with_rows("7", "9"), name="broken.txt", registry=registry)
    assert report.finding_rules() == ["example.decisions_sum"]
    f = report.findings[0]
    assert f.cells == ["active.licensing.decisions", "active.penalty.decisions", "active.coercion.decisions",
                       "active.confirmation.decisions", "active.decisions_total.decisions"]
    assert "行政行为合计" in f.message_zh
    assert "add up to 7 but decisions_total is 9" in f.message_en


def test_a_national_report_is_still_gov2021(registry):
    assert govconv.convert(SEED, registry=registry).layout == "gov2021"
