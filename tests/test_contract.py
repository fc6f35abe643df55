"""docs/contract.md cannot drift from the code: every cell address and label of
the built-in layouts, every rule the built-in code can raise (with its
severity), the JSON example, and no path that leaves the repository."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, validate_report_json
from govconv.model.report import Finding
from govconv.model.values import AMOUNT, SIGNED

CONTRACT = ROOT / "docs" / "contract.md"
BUILTIN_LAYOUTS = ("gov2019", "gov2021")
#: where the built-in code lives: every ``Finding("rule", …)`` in it is a rule the contract documents
BUILTIN_CODE = (ROOT / "core" / "govconv", ROOT / "plugins" / "govconv_plugins")
#: documented rules whose code is being written; a documented rule that no code raises must be here
PENDING_RULES: set[str] = set()

RULE = r"[a-z_]+\.[a-z_]+"


def contract_text() -> str:
    return CONTRACT.read_text("utf-8")


def sections(text: str, level: int) -> dict[str, str]:
    """Heading line → the text under it, up to the next heading of ``level`` or above."""
    out, head, body = {}, None, []
    for line in text.splitlines():
        m = re.match(r"^(#+) ", line)
        if m and len(m.group(1)) <= level:
            if head is not None:
                out[head] = "\n".join(body)
            head, body = line, []
        elif head is not None:
            body.append(line)
    if head is not None:
        out[head] = "\n".join(body)
    return out


def md_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every Markdown table in ``text``: (header cells, data rows)."""
    out, block = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            block.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif block:
            if len(block) >= 2 and set("".join(block[1])) <= set("-: "):
                out.append((block[0], block[2:]))
            block = []
    return out


def ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


# -- the tables ---------------------------------------------------------------------

def documented_cells(text: str) -> tuple[dict[str, dict[str, tuple[str, str, str]]], dict[tuple[str, str], str]]:
    """(layout → address → (row label, column label, value description), (table, layout) → heading),
    from the sections ``### Table `key` (`layout`, …) — label``."""
    out: dict[str, dict[str, tuple[str, str, str]]] = {}
    headings: dict[tuple[str, str], str] = {}
    for head, body in sections(text, 3).items():
        m = re.match(r"^### Table `(\w+)` \(([^)]*)\) — (.+)$", head)
        if not m:
            continue
        table, layouts = m.group(1), ticked(m.group(2))
        assert layouts, head
        columns: dict[str, tuple[str, str]] = {}
        rows = []
        for header, data in md_tables(body):
            if header[0] == "column":
                for r in data:
                    (key,) = ticked(r[0])
                    columns[key] = (r[1], r[2])
            elif header[0] == "row":
                rows += data
        assert columns and rows, f"{head}: a column table and a row table"
        for r in rows:
            (key,) = ticked(r[0])
            cols = list(columns) if r[2] == "all" else ticked(r[2])
            where = ticked(r[3]) if len(r) > 3 and r[3] != "both" else layouts
            for layout in where:
                assert layout in layouts, f"{head}: row {key} names layout {layout}"
                cells = out.setdefault(layout, {})
                for c in cols:
                    address = f"{table}.{key}.{c}"
                    assert address not in cells, f"{address} documented twice for {layout}"
                    cells[address] = (r[1], *columns[c])
        for layout in layouts:
            assert (table, layout) not in headings, f"table {table} documented twice for {layout}"
            headings[table, layout] = m.group(3)
    return out, headings


def code_cells(registry, layout: str) -> dict[str, tuple[str, str, object]]:
    out = {}
    for spec in registry.layouts[layout].template.tables:
        for row in spec.rows:
            for col in spec.row_columns(row):
                out[f"{spec.key}.{row.key}.{col.key}"] = (row.label, col.label, col)
    return out


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_every_cell_address_and_label_is_documented(registry, layout):
    documented = documented_cells(contract_text())[0].get(layout, {})
    code = code_cells(registry, layout)
    assert sorted(set(code) - set(documented)) == [], "addresses missing from docs/contract.md"
    assert sorted(set(documented) - set(code)) == [], "addresses documented that the layout does not have"
    for address, (row_label, col_label, col) in code.items():
        doc_row, doc_col, doc_value = documented[address]
        assert (doc_row, doc_col) == (row_label, col_label), address
        if col.kind == AMOUNT:
            assert f"amount in {col.unit}" in doc_value, address
        elif col.kind == SIGNED:
            assert "signed" in doc_value and "negative" in doc_value, address
        else:
            assert doc_value == "count", address
    assert f"`{layout}` has {len(code)} cells" in contract_text()


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_every_table_is_documented_under_its_label(registry, layout):
    headings = documented_cells(contract_text())[1]
    for spec in registry.layouts[layout].template.tables:
        assert spec.label in headings.get((spec.key, layout), ""), spec.key


@pytest.mark.parametrize("layout", BUILTIN_LAYOUTS)
def test_every_layout_is_documented(registry, layout):
    text = contract_text()
    template = registry.layouts[layout].template
    (row,) = [r for header, rows in md_tables(sections(text, 2)["## Layouts"]) if header[0] == "layout"
              for r in rows if ticked(r[0]) == [layout]]
    document = re.search(r"国办公开办函〔\d{4}〕\d+号", template.description).group(0)
    assert document in row[1]
    first, last = template.years
    assert row[2] == (f"{first}–{last}" if last else f"{first} on")
    for marker in template.markers:
        assert marker in row[3], marker


# -- the rules ----------------------------------------------------------------------

def raised_in_code() -> dict[str, set[str]]:
    """rule → severities, for every ``Finding(<literal rule>, …)`` in the built-in code."""
    default = Finding.__dataclass_fields__["severity"].default
    out: dict[str, set[str]] = {}
    for base in BUILTIN_CODE:
        for path in sorted(base.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                        == "Finding"):
                    continue
                kw = {k.arg: k.value for k in node.keywords}
                rule = node.args[0] if node.args else kw.get("rule")
                if not (isinstance(rule, ast.Constant) and isinstance(rule.value, str)):
                    continue           # a rule passed through (checks' helpers): reg.checks names it
                sev = kw.get("severity")
                severity = sev.value if isinstance(sev, ast.Constant) else default
                out.setdefault(rule.value, set()).add(severity)
    return out


def builtin_checks(registry) -> set[str]:
    """The rules that come with govconv (not a third party's plugin): the built-in checks, and
    the consistency rules and the text claims the built-in layouts' templates declare."""
    checks = {rule for rule, check in registry.checks.items()
              if check.run.__module__.split(".")[0] in ("govconv", "govconv_plugins")}
    declared = {rule.rule for name, layout in registry.layouts.items() if name in ("gov2019", "gov2021")
                for rule in layout.template.rules + layout.template.claims}
    return checks | declared


def documented_rules(text: str) -> dict[str, str]:
    """rule → severity, from the table of the Findings section."""
    body = sections(text, 2)["## Findings"]
    out = {}
    for header, rows in md_tables(body):
        if header[:2] == ["rule", "severity"]:
            for r in rows:
                (rule,) = ticked(r[0])
                assert rule not in out, f"{rule} documented twice"
                out[rule] = r[1]
    return out


def reserved_rules(text: str) -> list[str]:
    body = sections(text, 3)["### Reserved for planned work"]
    return re.findall(rf"^- `({RULE})` — \S", body, re.M)


def test_the_rule_scan_sees_the_code():
    raised = raised_in_code()
    # the scan must find the reading's rules and the clean-up's, or it proves nothing
    assert {"table.missing", "extraction.uncertain", "cell.unparsed", "text.nul_removed"} <= set(raised)


def test_every_rule_is_documented_with_its_severity(registry):
    documented = documented_rules(contract_text())
    raised = raised_in_code()
    assert builtin_checks(registry), "no built-in check found"
    rules = builtin_checks(registry) | set(raised)
    assert sorted(rules - set(documented)) == [], "rules missing from docs/contract.md"
    for rule, severities in raised.items():
        assert severities == {documented[rule]}, rule


def test_every_documented_rule_exists(registry):
    documented = set(documented_rules(contract_text()))
    rules = builtin_checks(registry) | set(raised_in_code())
    assert sorted(documented - rules - PENDING_RULES) == [], "documented rules that nothing raises"


def test_reserved_rules_are_listed_and_not_raised(registry):
    text = contract_text()
    reserved = reserved_rules(text)
    planned = {"text.table_mismatch", "series.carried_over", "series.in_force", "series.duplicate", "series.gap"}
    assert planned <= set(reserved) | set(documented_rules(text)), "a planned rule is neither reserved nor documented"
    assert not set(reserved) & (builtin_checks(registry) | set(raised_in_code())), \
        "a reserved rule is raised now: move it to the findings table"
    assert not set(reserved) & set(documented_rules(text))


# -- the JSON example ------------------------------------------------------------------

def json_blocks(text: str) -> list[dict]:
    return [json.loads(b) for b in re.findall(r"^```json\n(.*?)^```", text, re.S | re.M)]


def test_json_example_validates_against_the_schema(registry):
    blocks = json_blocks(contract_text())
    assert blocks, "docs/contract.md has no ```json example"
    for data in blocks:
        validate_report_json(data)
        # every address it uses is a cell of its layout, and every rule a documented one
        cells = code_cells(registry, data["layout"])
        used = {f"{t}.{r}.{c}" for t, rows in data["tables"].items() for r, cols in rows.items() for c in cols}
        used |= set(data["blank_cells"]) | set(data["cells"])
        used |= {a for f in data["findings"] for a in f["cells"]}
        assert sorted(used - set(cells)) == []
        for address, detail in data["cells"].items():
            assert detail["label"] == " · ".join(cells[address][:2]), address
        assert {f["rule"] for f in data["findings"]} <= set(documented_rules(contract_text()))
        for f in data["findings"]:
            assert f["message"] == f"{f['message_zh']} / {f['message_en']}"


# -- paths -------------------------------------------------------------------------

def _inside(path: Path) -> bool:
    try:
        path.resolve().relative_to(ROOT.resolve())
        return True
    except ValueError:
        return False


def test_the_contract_names_no_path_outside_the_repository():
    text = contract_text()
    for up in re.findall(r"(?:\.\./)+[\w./-]*", text):
        assert _inside(CONTRACT.parent / up) and (CONTRACT.parent / up).exists(), up
    assert not re.search(r"(?<![\w`.:/])/(?:[A-Za-z0-9_.-]+/)+", text), "an absolute path"
    assert not re.search(r"[A-Za-z]:\\", text), "a Windows path"
    assert not re.search(r"\]\((?:https?:|file:)", text), "a link out of the repository"
    for target in re.findall(r"\]\(([^)#\s]+)", text):
        path = CONTRACT.parent / target
        assert _inside(path) and path.exists(), target
    for name in re.findall(r"`([\w.-]+(?:/[\w.-]+)+\.(?:py|md|json|xsd))`", text):
        assert (ROOT / name).exists(), name


def test_docs_and_code_name_only_documents_that_exist():
    """A document named in README, docs/ or the built-in code's text is one of the repository's."""
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for base in BUILTIN_CODE:
        files += sorted(p for p in base.rglob("*") if p.suffix in (".py", ".json", ".xsd"))
    for path in files:
        for name in re.findall(r"[\w./-]*\w\.md\b", path.read_text("utf-8")):
            candidates = [path.parent / name, ROOT / name, ROOT / "docs" / name]
            assert any(_inside(c) and c.exists() for c in candidates), f"{path.relative_to(ROOT)} names {name}"
