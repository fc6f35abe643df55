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
