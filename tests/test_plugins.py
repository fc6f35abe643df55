"""The plugin system: entry points, hook validation, the allowlist, deterministic choice,
and a third party's layout plugin installed from its own package."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pluggy
import pytest

import govconv
from conftest import ROOT, SEEDS

BUILTINS = {"txt", "gov2019", "gov2021", "national_conventions", "json"}
SEED_2021 = (SEEDS / "002_4a81d0f783bbd2ce.txt").read_text("utf-8")
WITH_CONFIRMATION = SEED_2021.replace("\t行政许可\n\t0\n", "\t行政许可\n\t0\n\n\t行政确认\n\t7\n", 1)


def run_cli(*args, env=None, input_bytes=None):
    return subprocess.run([sys.executable, "-c", "from govconv.cli import main; raise SystemExit(main())", *args],
                          capture_output=True, env={**os.environ, **(env or {})}, input=input_bytes, timeout=120)


def test_builtins_are_entry_points_and_all_load(registry):
    names = {p.name for p in registry.plugins()}
    assert BUILTINS <= names
    assert registry.load_errors == {}
    txt = next(p for p in registry.plugins() if p.name == "txt")
    assert txt.distribution == "govconv" and txt.version == govconv.__version__
    assert txt.hooks == ["register_loaders"] and txt.provides == ["loader:txt"]


def test_a_misspelt_hook_is_rejected():
    class Typo:
        @govconv.hookimpl
        def register_layout(self, register):  # missing the s
            pass

    reg = govconv.Registry(load_entry_points=False)
    with pytest.raises(pluggy.PluginValidationError):
        reg.register_plugin(Typo(), name="typo")


def test_allowlist(monkeypatch):
    monkeypatch.setenv("GOVCONV_LOAD_PLUGINS", "txt, gov2019,json,national_conventions")
    reg = govconv.Registry()
    assert set(reg.layouts) == {"gov2019"} and set(reg.loaders) == {"txt"}
    monkeypatch.setenv("GOVCONV_LOAD_PLUGINS", "")
    assert govconv.Registry().plugins() == []


def _layout(id_, confidence, priority):
    class Fixed(govconv.Layout):
        def detect(self, doc):
            return confidence
    lay = Fixed()
    lay.id, lay.priority = id_, priority
    return lay


@pytest.mark.parametrize("order", [0, 1])
def test_choice_is_by_confidence_then_priority_not_registration_order(order):
    candidates = [_layout("b_low", 0.5, 0), _layout("a_sure", 0.9, 0), _layout("c_prio", 0.9, 5)]
    if order:
        candidates.reverse()

    class Offer:
        @govconv.hookimpl
        def register_layouts(self, register):
            for c in candidates:
                register(c)

    reg = govconv.Registry(load_entry_points=False)
    reg.register_plugin(Offer(), name="offer")
    assert reg.choose_layout(govconv.Document()).id == "c_prio"


def test_an_embedding_app_can_drive_its_own_registry():
    from govconv_plugins import gov2021, json_exporter, national_conventions, txt_loader

    reg = govconv.Registry(load_entry_points=False)
    for mod in (txt_loader, gov2021, national_conventions, json_exporter):
        reg.register_plugin(mod)
    report = govconv.convert(SEED_2021.encode("utf-8"), name="r.txt", registry=reg)
    assert report.layout == "gov2021" and report.value("applications.new.total") == 3
    assert list(reg.layouts) == ["gov2021"]


def test_plugins_command_lists_versions_and_hooks():
    p = run_cli("plugins", "--json")
    assert p.returncode == 0, p.stderr
    plugins = {i["name"]: i for i in json.loads(p.stdout)}
    assert BUILTINS <= set(plugins)
    assert plugins["gov2021"]["version"] == govconv.__version__
    assert plugins["gov2021"]["hooks"] == ["register_layouts"]
    text = run_cli("plugins").stdout.decode()
    assert "gov2019 0.1.0 (govconv)" in text and "hooks: register_loaders" in text


@pytest.fixture(scope="module")
def third_party(tmp_path_factory):
    """The example plugin of docs/plugins.md, built and installed from its own package."""
    tmp = tmp_path_factory.mktemp("thirdparty")
    src = tmp / "src"
    shutil.copytree(ROOT / "docs" / "example-plugin", src)
    site = tmp / "site"
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                        "--target", str(site), str(src)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    report = tmp / "with-confirmation.txt"
    report.write_text(WITH_CONFIRMATION, "utf-8")
    plain = tmp / "plain.txt"
    plain.write_text(SEED_2021, "utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}, report, plain


def test_third_party_layout_is_picked_up_by_the_cli(third_party):
    env, report, plain = third_party
    listed = run_cli("plugins", env=env).stdout.decode()
    assert "example_confirmation 0.1.0 (govconv-example-confirmation)" in listed
    assert "layout:gov2021_confirmation" in listed
    d = json.loads(run_cli(str(report), env=env).stdout)
    assert d["layout"] == "gov2021_confirmation"
    assert d["tables"]["active"]["confirmation"] == {"decisions": 7}
    assert d["tables"]["applications"]["new"]["total"] == 3
    # without the row, gov2021 remains the better match
    assert json.loads(run_cli(str(plain), env=env).stdout)["layout"] == "gov2021"


def test_third_party_layout_through_the_api(third_party):
    env, report, _ = third_party
    code = ("import govconv, json; r = govconv.convert(%r); "
            "print(json.dumps([r.layout, r.value('active.confirmation.decisions')]))" % str(report))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, **env}, timeout=60)
    assert json.loads(p.stdout) == ["gov2021_confirmation", 7], p.stderr


def test_the_allowlist_turns_the_third_party_plugin_off(third_party):
    env, report, _ = third_party
    env = {**env, "GOVCONV_LOAD_PLUGINS": ",".join(sorted(BUILTINS))}
    assert "example_confirmation" not in run_cli("plugins", env=env).stdout.decode()
    d = json.loads(run_cli(str(report), env=env).stdout)
    assert d["layout"] == "gov2021"
    # the row it cannot place is not dropped silently
    f = next(f for f in d["findings"] if f["rule"] == "table.unknown_row")
    assert f["values"] == {"label": "行政确认", "numbers": ["7"]}
    forced = run_cli(str(report), "--layout", "gov2021_confirmation", env=env)
    assert forced.returncode == govconv.ExitCode.USAGE and b"gov2021_confirmation" in forced.stderr


def test_an_error_wrapped_by_a_library_keeps_its_meaning():
    """A library that re-raises our error inside its own exception must not turn it into a crash."""
    from govconv.errors import InputTimeout

    class LibraryError(Exception):
        pass

    class Wrapping(govconv.Loader):
        name, format, extensions = "wrapping", "wrap", ("wrap",)

        def accepts(self, source):
            return 1.0 if source.extension == "wrap" else 0.0

        def load(self, source, options):
            try:
                raise InputTimeout("超时", "too slow")
            except InputTimeout as e:
                raise LibraryError(e) from None

    class Plugin:
        @govconv.hookimpl
        def register_loaders(self, register):
            register(Wrapping())

    reg = govconv.Registry()
    reg.register_plugin(Plugin(), name="wrapping")
    with pytest.raises(InputTimeout) as e:
        govconv.convert(b"x", name="f.wrap", registry=reg)
    assert e.value.path == "f.wrap"
