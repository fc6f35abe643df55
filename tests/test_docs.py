"""Docs cannot drift: every hook is documented with its exact signature, and the
worked example in docs/plugins.md is the example plugin the tests install."""
import inspect
import re

from conftest import ROOT
from govconv.plugin import hookspecs

PLUGINS_MD = (ROOT / "docs" / "plugins.md").read_text("utf-8")


def test_every_hook_is_documented_with_its_signature():
    documented = set(re.findall(r"^### (\w+\(.*\))$", PLUGINS_MD, re.M))
    specs = {}
    for name, fn in vars(hookspecs).items():
        if name.startswith("register_") and callable(fn):
            sig = inspect.signature(fn)
            params = ", ".join(f"{p}: {a.annotation}" for p, a in sig.parameters.items())
            specs[f"{name}({params})"] = fn
    assert set(specs) == documented


def test_worked_example_is_the_example_plugin():
    code = (ROOT / "docs" / "example-plugin" / "govconv_example_confirmation.py").read_text("utf-8")
    block = re.search(r"`govconv_example_confirmation.py`:\n\n```python\n(.*?)```", PLUGINS_MD, re.S).group(1)
    assert block.strip() in code


def test_every_exit_code_is_documented():
    from govconv.errors import ExitCode
    cli_md = (ROOT / "docs" / "cli.md").read_text("utf-8")
    for name, code in vars(ExitCode).items():
        if name.isupper():
            assert f"| {code} |" in cli_md, name


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = re.findall(r"```sh\n(python3 -m venv .*)\n```", readme)
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text("utf-8")


def test_the_reference_names_only_what_exists():
    """docs/plugins.md's reference tables and signatures match the code."""
    import dataclasses

    import govconv
    import govconv.national as national

    ref = PLUGINS_MD[PLUGINS_MD.index("## Reference"):PLUGINS_MD.index("## A worked example")]

    def table_names(heading):
        part = ref[ref.index(heading):]
        part = part[:part.index("\n\n", part.index("|---"))]
        rows = [line for line in part.splitlines() if line.startswith("|")][2:]     # after header and rule
        return [re.findall(r"`([^`]+)`", line.split("|")[1]) for line in rows]

    for heading, cls in (("### Loader attributes", govconv.Loader), ("### Exporter attributes", govconv.Exporter)):
        for (name,) in table_names(heading):
            assert hasattr(cls, name), (cls, name)
    for names in table_names("### What `govconv.national` provides"):
        for name in names:
            assert hasattr(national, name.split("(")[0]), name
    for cls in (govconv.Check, govconv.Finding):
        fields = [f.name for f in dataclasses.fields(cls)]
        documented = re.search(rf"govconv\.{cls.__name__}\(([^)]*)\)", ref, re.S).group(1)
        assert re.findall(r"(\w+)\s*:", documented) == fields, cls
    for name in ("RowSum", "ColumnSum", "Balance", "checkpoint", "convert"):
        assert hasattr(govconv, name)


def test_the_cli_from_python_example_runs(tmp_path, monkeypatch):
    """docs/cli.md's "From Python" block, run as written on a seed report: a CSV, and only those plugins."""
    import shutil

    cli_md = (ROOT / "docs" / "cli.md").read_text("utf-8")
    block = re.search(r"## From Python.*?```python\n(.*?)```", cli_md, re.S).group(1)
    shutil.copy(ROOT / "fixtures" / "seeds" / "002_4a81d0f783bbd2ce.txt", tmp_path / "report.txt")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(block, scope)
    assert scope["code"] == 0
    assert "applications.new.total" in (tmp_path / "report.csv").read_text("utf-8-sig")
    assert sorted(scope["only_these"].exporters) == ["csv"]
