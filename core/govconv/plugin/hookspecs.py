"""The hooks a govconv plugin may implement.

Every hook takes a ``register`` callback, so one plugin can register several
things.  A plugin is a module (or object) with functions decorated by
``govconv.hookimpl``, listed under the ``govconv`` entry-point group of its
package.  ``docs/plugins.md`` documents each hook with an example; a test keeps
that page in step with the signatures here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pluggy import HookimplMarker, HookspecMarker

if TYPE_CHECKING:
    from govconv.model.values import Convention
    from govconv.reading.layout import Layout
    from govconv.reading.loader import Loader
    from govconv.rules.checks import Check
    from govconv.writing.exporter import Exporter

hookspec = HookspecMarker("govconv")
hookimpl = HookimplMarker("govconv")


@hookspec
def register_loaders(register: Callable[[Loader], None]) -> None:
    """Register loaders: ``register(loader)`` with a :class:`govconv.Loader` instance.

    A loader reads one file format into a :class:`govconv.Document`.
    """


@hookspec
def register_layouts(register: Callable[[Layout], None]) -> None:
    """Register layouts: ``register(layout)`` with a :class:`govconv.Layout` instance.

    A layout recognises one report template and reads a Document into a Report.
    """


@hookspec
def register_conventions(register: Callable[[Convention], None]) -> None:
    """Register cell conventions: ``register(convention)`` with a :class:`govconv.Convention`.

    A convention says which cell texts are blank markers and which count units
    may follow a number; a layout names the convention it reads with.
    """


@hookspec
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register exporters: ``register(exporter)`` with a :class:`govconv.Exporter` instance.

    An exporter writes reports in one output format, chosen with ``--to NAME``.
    """


@hookspec
def register_checks(register: Callable[[Check], None]) -> None:
    """Register consistency checks: ``register(check)`` with a :class:`govconv.Check`.

    A check is a rule id and a function from a Report to the findings it raises.
    """
