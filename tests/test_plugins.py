"""The plugin system: entry points, hook validation, the allowlist, deterministic choice,
and a third party's layout plugin installed from its own package."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from textwrap import dedent

import pluggy
import pytest

import govconv
from conftest import ROOT, SEEDS
from govconv.errors import PluginError

BUILTINS = {"txt", "gov2019", "gov2021", "national_conventions", "json"}
SEED_2021 = (SEEDS / "002_4a81d0f783bbd2ce.txt").read_text("utf-8")
WITH_CONFIRMATION = SEED_2021.replace("\t行政许可\n\t0\n", "\t行政许可\n\t0\n\n\t行政确认\n\t7\n", 1)


def test_builtins_are_entry_points_and_all_load(monkeypatch, registry):
    monkeypatch.setenv("GOVCONV_LOAD_PLUGINS", ",".join(ALL_BUILTINS))   # not a developer's own plugins
    from_entry_points = govconv.Registry()
    for reg in (from_entry_points, registry):   # loaded, or registered by hand (conftest)
        names = {p.name for p in reg.plugins()}
        assert BUILTINS <= names and names == ALL_BUILTINS
        assert reg.load_errors == {}
        txt = next(p for p in reg.plugins() if p.name == "txt")
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


def test_plugins_command_lists_versions_and_hooks(cli):
    p = cli("plugins", "--json")
    assert p.code == 0, p.err
    plugins = {i["name"]: i for i in json.loads(p.out)}
    assert BUILTINS <= set(plugins)
    assert plugins["gov2021"]["version"] == govconv.__version__
    assert plugins["gov2021"]["hooks"] == ["register_layouts"]
    text = cli("plugins").out.decode()
    assert "gov2019 0.1.0 (govconv)" in text and "hooks: register_loaders" in text


@pytest.fixture(scope="module")
def third_party_site(tmp_path_factory):
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
    return site, report, plain


@pytest.fixture
def third_party(third_party_site, monkeypatch):
    """The installed example plugin on sys.path: a registry that loads the given entry points
    (built-ins and the example plugin by default) found there, the files to convert."""
    site, report, plain = third_party_site
    monkeypatch.syspath_prepend(str(site))

    def registry(names=ALL_BUILTINS | {"example_confirmation"}):
        monkeypatch.setenv("GOVCONV_LOAD_PLUGINS", ",".join(sorted(names)))
        return govconv.Registry()
    return registry, report, plain


def test_third_party_layout_is_picked_up_by_the_cli(third_party, cli):
    registry, report, plain = third_party
    reg = registry()
    listed = cli("plugins", registry=reg).out.decode()
    assert "example_confirmation 0.1.0 (govconv-example-confirmation)" in listed
    assert "layout:gov2021_confirmation" in listed
    d = json.loads(cli(report, registry=reg).out)
    assert d["layout"] == "gov2021_confirmation"
    assert d["tables"]["active"]["confirmation"] == {"decisions": 7}
    assert d["tables"]["applications"]["new"]["total"] == 3
    # without the row, gov2021 remains the better match
    assert json.loads(cli(plain, registry=reg).out)["layout"] == "gov2021"


def test_third_party_layout_through_the_api(third_party):
    registry, report, _ = third_party
    r = govconv.convert(report, registry=registry())
    assert [r.layout, r.value("active.confirmation.decisions")] == ["gov2021_confirmation", 7]


def test_the_allowlist_turns_the_third_party_plugin_off(third_party, cli):
    registry, report, _ = third_party
    reg = registry(BUILTINS)
    assert "example_confirmation" not in cli("plugins", registry=reg).out.decode()
    d = json.loads(cli(report, registry=reg).out)
    assert d["layout"] == "gov2021"
    # the row it cannot place is not dropped silently
    f = next(f for f in d["findings"] if f["rule"] == "table.unknown_row")
    assert f["values"] == {"label": "行政确认", "numbers": ["7"]}
    forced = cli(report, "--layout", "gov2021_confirmation", registry=reg)
    assert forced.code == govconv.ExitCode.USAGE and "gov2021_confirmation" in forced.err


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


# -- isolation and a strict registry -------------------------------------------------------------
# Tiny distributions made by hand (a .dist-info with entry_points.txt beside the modules), put on
# sys.path or PYTHONPATH: real entry points, found by importlib.metadata, without pip.

ALL_BUILTINS = {ep.name for ep in metadata.entry_points(group="govconv")
                if ep.dist is not None and ep.dist.metadata["Name"] == "govconv"}

BROKEN_PLUGINS = {
    "typo": """
        from govconv import hookimpl

        @hookimpl
        def register_layout(register):  # missing the s
            pass
        """,
    "importfail": """
        import gct_no_such_module_anywhere
        """,
    "raises": """
        from govconv import hookimpl

        @hookimpl
        def register_exporters(register):
            raise RuntimeError("boom in a plugin")
        """,
    "notaloader": """
        from govconv import hookimpl

        @hookimpl
        def register_loaders(register):
            register(object())
        """,
    "noname": """
        from govconv import Exporter, hookimpl

        @hookimpl
        def register_exporters(register):
            register(Exporter())
        """,
}
EXTRA_PLUGINS = {
    "specname": """
        from govconv import Exporter, hookimpl

        class Tsv(Exporter):
            name, extension, description = "tsv", "tsv", "layout and new applications, tab-separated"

            def export(self, reports, stream, options):
                for r in reports:
                    stream.write(f"{r.layout}\\t{r.value('applications.new.total')}\\n".encode())

        @hookimpl(specname="register_exporters")
        def offer_formats(register):
            register(Tsv())
        """,
    "dupjson": """
        from govconv import Exporter, hookimpl

        class Named(Exporter):
            def __init__(self, name):
                self.name = name
                self.description = "from dupjson"

        @hookimpl
        def register_exporters(register):
            register(Named("json"))
            register(Named("json5"))
        """,
    "override": """
        from govconv import Exporter, hookimpl

        class LoudJson(Exporter):
            name, extension, description = "json", "json", "JSON, the override plugin's"

            def export(self, reports, stream, options):
                stream.write(b"override\\n")

        @hookimpl
        def register_exporters(register):
            register(LoudJson(), override=True)
        """,
}


def _distribution(site, dist: str, version: str, plugins: dict[str, str]) -> None:
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", "utf-8")
    (info / "entry_points.txt").write_text(
        "[govconv]\n" + "".join(f"{name} = gct_{name}\n" for name in plugins), "utf-8")
    for name, code in plugins.items():
        (site / f"gct_{name}.py").write_text(dedent(code), "utf-8")


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory):
    """A directory with two distributions: five broken plugins, and three that work."""
    site = tmp_path_factory.mktemp("plugin-site")
    _distribution(site, "govconv-broken-plugins", "0.3", BROKEN_PLUGINS)
    _distribution(site, "govconv-extra-plugins", "1.2", EXTRA_PLUGINS)
    return site


@pytest.fixture
def with_site(plugin_site, monkeypatch):
    """The plugin site on sys.path; the registry loads the built-ins plus the names given."""
    monkeypatch.syspath_prepend(str(plugin_site))

    def registry(*names):
        monkeypatch.setenv("GOVCONV_LOAD_PLUGINS", ",".join(sorted(ALL_BUILTINS | set(names))))
        return govconv.Registry()
    return registry


def _warnings(err: str, name: str) -> list[str]:
    return [line for line in err.splitlines() if f"plugin {name} " in line or f"plugin {name}:" in line]


def test_broken_plugins_are_skipped_each_with_one_warning(with_site, capsys):
    reg = with_site(*BROKEN_PLUGINS)
    err = capsys.readouterr().err
    assert set(reg.load_errors) == set(BROKEN_PLUGINS)
    assert len(err.splitlines()) == len(BROKEN_PLUGINS), err
    for name in BROKEN_PLUGINS:
        [line] = _warnings(err, name)
        assert line.startswith(f"govconv: 插件 {name} 加载失败，已跳过")
        assert f"plugin {name} failed to load and was skipped" in line
    errors = reg.load_errors
    assert errors["typo"] == "unknown hook register_layout (did you mean register_layouts?)"
    assert errors["importfail"].startswith("ModuleNotFoundError") and "gct_no_such_module" in errors["importfail"]
    assert errors["raises"] == "register_exporters raised RuntimeError: boom in a plugin"
    assert errors["notaloader"] == "register_loaders registered a builtins.object, not a govconv.Loader"
    assert errors["noname"] == "register_exporters registered an Exporter without a name"
    # listed, with their error and origin, and nothing of them is left in the manager
    broken = {p.name: p for p in reg.plugins() if p.error}
    assert set(broken) == set(BROKEN_PLUGINS)
    assert broken["raises"].distribution == "govconv-broken-plugins" and broken["raises"].version == "0.3"
    assert broken["raises"].module == "gct_raises" and broken["raises"].hooks == broken["raises"].provides == []
    assert not set(BROKEN_PLUGINS) & {name for name, _p in reg.pm.list_name_plugin()}
    # every other plugin works
    assert {p.name for p in reg.plugins() if not p.error} == ALL_BUILTINS
    assert set(reg.exporters) >= {"json", "xml", "sql", "sqlite"} and "" not in reg.exporters
    report = govconv.convert(SEED_2021.encode("utf-8"), name="r.txt", registry=reg)
    assert report.layout == "gov2021" and report.value("applications.new.total") == 3


def test_a_misspelt_hook_leaves_an_embedding_registry_usable():
    class Typo:
        @govconv.hookimpl
        def register_layout(self, register):
            pass

    reg = govconv.Registry(load_entry_points=False)
    with pytest.raises(PluginError, match="did you mean register_layouts") as e:
        reg.register_plugin(Typo(), name="typo")
    assert isinstance(e.value, pluggy.PluginValidationError)
    assert e.value.exit_code == govconv.ExitCode.USAGE
    from govconv_plugins import json_exporter
    reg.register_plugin(json_exporter)          # check_pending no longer fails for everyone
    assert [p.name for p in reg.plugins()] == ["govconv_plugins.json_exporter"]


def _boom(register):
    raise RuntimeError("boom")


def _swallowing(register):  # a plugin swallowing the error does not get away with it
    try:
        register(govconv.Exporter())
    except Exception:
        pass


@pytest.mark.parametrize("body, message", [
    (_boom, "register_loaders raised RuntimeError: boom"),
    (lambda register: register(object()), "not a govconv.Loader"),
    (lambda register: register(govconv.Loader()), "a Loader without a name"),
    (lambda register: register(govconv.Loader(), "positional"), "register_loaders raised TypeError"),
    (_swallowing, "not a govconv.Loader"),
])
def test_a_bad_registration_is_refused(body, message):
    class Bad:
        @govconv.hookimpl
        def register_loaders(self, register):
            body(register)

    reg = govconv.Registry(load_entry_points=False)
    with pytest.raises(PluginError, match=message):
        reg.register_plugin(Bad(), name="bad")
    assert reg.plugins() == [] and reg.loaders == {} and reg.pm.get_plugin("bad") is None


def test_specname_is_honoured():
    class Layouts:
        @govconv.hookimpl(specname="register_layouts")
        def offer(self, register):
            register(_layout("special", 0.5, 0))

    reg = govconv.Registry(load_entry_points=False)
    reg.register_plugin(Layouts(), name="layouts")
    [info] = reg.plugins()
    assert info.hooks == ["register_layouts"] and info.provides == ["layout:special"]
    assert list(reg.layouts) == ["special"]


def test_a_duplicate_entry_point_name_is_skipped_and_the_builtin_kept(with_site, capsys):
    reg = with_site("dupjson")
    err = capsys.readouterr().err
    [line] = err.splitlines()
    assert "plugin dupjson: exporter 'json' is already registered by plugin json, skipped" in line
    assert "override=True" in line and line.startswith("govconv: 插件 dupjson 的输出格式 json 已由插件 json 注册")
    assert type(reg.exporter("json")).__module__ == "govconv_plugins.json_exporter"
    assert reg.exporter("json5").description == "from dupjson"      # the rest of the plugin is kept
    assert reg.load_errors == {}
    info = {p.name: p for p in reg.plugins()}["dupjson"]
    assert info.provides == ["exporter:json5"] and info.skipped == ["exporter:json (plugin json)"]
    assert info.error is None and info.distribution == "govconv-extra-plugins"


def test_an_explicit_override_replaces_the_builtin(with_site, capsys):
    reg = with_site("override", "specname")
    assert capsys.readouterr().err == ""
    assert reg.exporter("json").description == "JSON, the override plugin's"
    infos = {p.name: p for p in reg.plugins()}
    assert infos["override"].provides == ["exporter:json"]
    assert infos["override"].overrides == ["exporter:json (plugin json)"]
    assert infos["json"].overrides == [] and infos["json"].skipped == []
    assert infos["specname"].hooks == ["register_exporters"] and infos["specname"].provides == ["exporter:tsv"]


def _exporter_plugin(plugin_name, exporter_name, override=False):
    class Named(govconv.Exporter):
        name, description = exporter_name, plugin_name

    class Plugin:
        @govconv.hookimpl
        def register_exporters(self, register):
            register(Named(), override=override)
    return Plugin()


def test_a_duplicate_through_register_plugin_raises():
    from govconv_plugins import json_exporter

    reg = govconv.Registry(load_entry_points=False)
    reg.register_plugin(json_exporter, name="json")
    with pytest.raises(PluginError) as e:
        reg.register_plugin(_exporter_plugin("mine", "json"), name="mine")
    assert "plugin mine" in e.value.en and "plugin json" in e.value.en and "插件 json" in e.value.zh
    assert e.value.exit_code == govconv.ExitCode.USAGE
    assert [p.name for p in reg.plugins()] == ["json"] and reg.exporter("json").description != "mine"
    # two third parties: an override replaces built-ins only
    reg.register_plugin(_exporter_plugin("first", "csv"), name="first")
    with pytest.raises(PluginError, match="'csv' is already registered by plugin first"):
        reg.register_plugin(_exporter_plugin("second", "csv", override=True), name="second")
    # the same plugin name twice
    with pytest.raises(PluginError, match="cannot be registered") as e:
        reg.register_plugin(_exporter_plugin("again", "tsv"), name="first")
    assert isinstance(e.value, ValueError)


def test_override_through_register_plugin_whatever_the_order():
    from govconv_plugins import json_exporter

    for order in (0, 1):
        reg = govconv.Registry(load_entry_points=False)
        plugins = [(json_exporter, "json"), (_exporter_plugin("mine", "json", override=True), "mine")]
        for plugin, name in plugins[::-1] if order else plugins:
            reg.register_plugin(plugin, name=name)
        assert reg.exporter("json").description == "mine"
        assert {p.name: p.overrides for p in reg.plugins()} == {"json": [], "mine": ["exporter:json (plugin json)"]}
        reg.unregister_plugin("mine")                        # the built-in comes back
        assert type(reg.exporter("json")).__module__ == "govconv_plugins.json_exporter"


def _check_plugin(rule, override):
    class Checks:
        @govconv.hookimpl
        def register_checks(self, register):
            register(govconv.Check(rule, lambda report: [], "mine"), override=override)
    return Checks()


def test_a_builtin_check_is_kept_unless_overridden():
    from govconv_plugins import national_checks

    reg = govconv.Registry(load_entry_points=False)
    reg.register_plugin(national_checks)
    builtin = reg.checks["section.missing"]
    with pytest.raises(PluginError, match="'section.missing' is already registered by plugin govconv_plugins"):
        reg.register_plugin(_check_plugin("section.missing", False), name="dup")
    assert reg.checks["section.missing"] is builtin
    reg.register_plugin(_check_plugin("section.missing", True), name="better")
    assert reg.checks["section.missing"].description == "mine" and set(reg.checks) == {"template.version",
                                                                                        "section.missing"}


def test_the_cores_own_checks_are_built_ins(monkeypatch):
    from govconv.plugin import registry as registry_module

    core = govconv.Check("core.rule", lambda report: [], "the core's")
    monkeypatch.setattr(registry_module, "BUILTIN_CHECKS", (core,))
    reg = govconv.Registry(load_entry_points=False)
    assert reg.checks == {"core.rule": core} and reg.plugins() == []
    reg.register_plugin(_check_plugin("extra", False), name="extra")
    assert list(reg.checks) == ["extra", "core.rule"]          # the core's after the plugins', as always
    with pytest.raises(PluginError, match="'core.rule' is already registered by plugin govconv"):
        reg.register_plugin(_check_plugin("core.rule", False), name="dup")
    reg.register_plugin(_check_plugin("core.rule", True), name="better")
    assert reg.checks["core.rule"].description == "mine"
    assert {p.name: p.overrides for p in reg.plugins()}["better"] == ["check:core.rule (plugin govconv)"]


def _module_cli(*args, env):
    return subprocess.run([sys.executable, "-m", "govconv", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_plugins_command_with_broken_plugins_installed(plugin_site):
    """A fresh ``python -m govconv`` finds them by their entry points: one warning each, all listed."""
    env = {"PYTHONPATH": os.pathsep.join([str(plugin_site), os.environ.get("PYTHONPATH", "")])}
    p = _module_cli("plugins", env=env)
    assert p.returncode == 0, p.stderr
    for name in BROKEN_PLUGINS:
        assert len(_warnings(p.stderr, name)) == 1, p.stderr
        assert f"\n{name} 0.3 (govconv-broken-plugins)" in "\n" + p.stdout
    [dup] = _warnings(p.stderr, "dupjson")          # the one duplicate: warned, not broken
    assert "plugin json" in dup
    assert len(p.stderr.splitlines()) == len(BROKEN_PLUGINS) + 1, p.stderr


def test_the_commands_with_broken_plugins_installed(with_site, cli, capfdbinary):
    reg = with_site(*BROKEN_PLUGINS, *EXTRA_PLUGINS)          # all of the site (warnings: above)
    listed = {i["name"]: i for i in json.loads(cli("plugins", "--json", registry=reg).out)}
    assert listed["typo"]["error"].startswith("unknown hook register_layout")
    assert listed["override"]["overrides"] == ["exporter:json (plugin json)"]
    assert listed["specname"]["provides"] == ["exporter:tsv"] and listed["gov2021"]["error"] is None
    # conversion works, with the specname plugin's exporter
    seed = SEEDS / "002_4a81d0f783bbd2ce.txt"
    conv = cli(seed, "--to", "tsv", registry=reg)
    assert conv.code == 0 and conv.out == b"gov2021\t3\n", conv.err
    assert cli(seed, registry=reg).out == b"override\n"
    # the allowlist leaves them out: not a word on stderr
    quiet = with_site()
    assert capfdbinary.readouterr().err == b""
    p = cli("plugins", registry=quiet)
    assert p.code == 0 and p.err == "" and "typo" not in p.out.decode()


def test_tracing_shows_the_hook_calls_of_registration():
    p = _module_cli("formats", env={"GOVCONV_TRACE_PLUGINS": "1", "GOVCONV_LOAD_PLUGINS": "json"})
    assert p.returncode == 0 and "register_exporters" in p.stderr and "json" in p.stdout
