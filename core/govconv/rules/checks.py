"""Checks: rules that look at a whole report, registered by plugins.

A :class:`Check` is a rule id and a function from a report to the findings it
raises; plugins register them with the ``register_checks`` hook (the national
ones — ``template.version``, ``section.missing`` — come from the
``national_checks`` plugin, so ``GOVCONV_LOAD_PLUGINS`` governs them like any
other).  The sums of a template's tables are not checks but declarations of
the template itself, evaluated by :mod:`govconv.rules.declared`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from govconv.model.report import Finding, Report
from govconv.running.limits import checkpoint


@dataclass(frozen=True)
class Check:
    rule: str
    run: Callable[[Report], Iterable[Finding]]
    description: str = ""


#: checks the core itself adds to every registry: none (every check is a plugin's)
BUILTIN_CHECKS: tuple[Check, ...] = ()


def run_checks(report: Report, checks: Iterable[Check]) -> None:
    for check in checks:
        checkpoint()
        report.findings.extend(check.run(report))
