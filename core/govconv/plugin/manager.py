"""The plugin manager: pluggy, the ``govconv`` entry-point group, and the allowlist.

Built-in plugins are entry points of the govconv distribution itself, found
exactly as a third party's are.  ``GOVCONV_LOAD_PLUGINS`` (comma-separated
entry-point names) loads only those; set to an empty string it loads none.
``GOVCONV_TRACE_PLUGINS=1`` prints every hook call to stderr.
"""
from __future__ import annotations

import os
import sys
from importlib import metadata

import pluggy

from govconv.plugin import hookspecs

GROUP = "govconv"
ALLOWLIST_ENV = "GOVCONV_LOAD_PLUGINS"
TRACE_ENV = "GOVCONV_TRACE_PLUGINS"


def allowlist() -> set[str] | None:
    """The entry-point names the user allows, or None when every plugin may load."""
    raw = os.environ.get(ALLOWLIST_ENV)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def new_manager(load_entry_points: bool = True
                ) -> tuple[pluggy.PluginManager, dict[str, dict], dict[str, str]]:
    """A plugin manager with govconv's hooks and (by default) the installed plugins loaded.

    Returns the manager; for each plugin loaded from an entry point, where it
    came from (entry-point value, distribution, version); and for each entry
    point that failed to import, the error (it is skipped, with a warning).  Raises
    ``pluggy.PluginValidationError`` when a plugin implements a hook govconv
    does not define: a misspelt hook fails loudly.
    """
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    origins: dict[str, dict] = {}
    failures: dict[str, str] = {}
    if load_entry_points:
        allowed = allowlist()
        for ep in sorted(metadata.entry_points(group=GROUP), key=lambda e: e.name):
            if allowed is not None and ep.name not in allowed:
                continue
            if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as e:  # a broken plugin must not make the tool unusable
                failures[ep.name] = f"{type(e).__name__}: {e}"
                print(f"govconv: 插件 {ep.name} 加载失败，已跳过 / plugin {ep.name} failed to load "
                      f"and was skipped ({type(e).__name__}: {e})", file=sys.stderr)
                continue
            pm.register(plugin, name=ep.name)
            dist = ep.dist
            origins[ep.name] = {"module": ep.value,
                                "distribution": dist.metadata["Name"] if dist else None,
                                "version": dist.version if dist else None}
    pm.check_pending()
    if os.environ.get(TRACE_ENV):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm, origins, failures
