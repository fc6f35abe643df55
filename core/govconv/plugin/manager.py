"""The plugin manager: pluggy, the ``govconv`` entry-point group, and the allowlist.

Built-in plugins are entry points of the govconv distribution itself, found
exactly as a third party's are; they are loaded first, then the others, each
group by entry-point name.  ``GOVCONV_LOAD_PLUGINS`` (comma-separated
entry-point names) loads only those; set to an empty string it loads none.
``GOVCONV_TRACE_PLUGINS=1`` prints every hook call to stderr.

The registry (:mod:`govconv.plugin.registry`) registers the plugins one by one
and checks each on its own, so that one broken plugin is skipped with a
warning instead of breaking every command; the helpers for that are here.
"""
from __future__ import annotations

import importlib
import os
import re
import sys
import types
from dataclasses import dataclass

import pluggy

from govconv.plugin import hookspecs

GROUP = "govconv"
ALLOWLIST_ENV = "GOVCONV_LOAD_PLUGINS"
TRACE_ENV = "GOVCONV_TRACE_PLUGINS"
BUILTIN_DISTRIBUTION = "govconv"
#: the packages of the govconv distribution: a plugin module of these is a built-in
#: even when an embedding application registers it itself
BUILTIN_PACKAGES = ("govconv", "govconv_plugins")


def allowlist() -> set[str] | None:
    """The entry-point names the user allows, or None when every plugin may load."""
    raw = os.environ.get(ALLOWLIST_ENV)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def new_manager() -> pluggy.PluginManager:
    """A plugin manager with govconv's hooks and no plugin yet (tracing on if asked for)."""
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    if os.environ.get(TRACE_ENV):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm


def _normal(name: str | None) -> str:
    return re.sub(r"[-_.]+", "-", name or "").lower()


@dataclass(frozen=True)
class FoundEntryPoint:
    """An entry point of the ``govconv`` group, as the fast scan finds it (see :func:`scan`)."""

    name: str
    value: str
    distribution: str | None
    version: str | None

    def load(self):
        module, _, attr = self.value.partition(":")
        obj = importlib.import_module(module.strip())
        for part in filter(None, attr.strip().split(".")):
            obj = getattr(obj, part)
        return obj


def entry_point_origin(ep: FoundEntryPoint) -> dict:
    """Where an entry point comes from: its value, distribution and version, and whether it is built in."""
    return {"module": ep.value, "distribution": ep.distribution, "version": ep.version,
            "builtin": _normal(ep.distribution) == BUILTIN_DISTRIBUTION}


_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]+)\]\s*$")


def scan(paths: list[str] | None = None) -> list[FoundEntryPoint]:
    """The ``govconv`` entry points of the installed distributions, found fast.

    Reads only the ``entry_points.txt`` of each ``*.dist-info``/``*.egg-info``
    directory on ``sys.path`` — and parses only those that declare a
    ``[govconv]`` section — instead of building every distribution's metadata
    (importlib.metadata).  The first distribution of a name on the path wins,
    as for imports.  Name and version come from the directory's name
    (METADATA, read only for the few distributions that have govconv plugins).
    """
    found: list[FoundEntryPoint] = []
    seen: set[str] = set()
    for base in sys.path if paths is None else paths:
        try:
            entries = sorted(os.scandir(base or "."), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith((".dist-info", ".egg-info")):
                continue
            stem = entry.name.rsplit(".", 1)[0]
            name, _, version = stem.partition("-")
            key = _normal(name)
            if key in seen:
                continue
            seen.add(key)
            try:
                with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                continue
            if f"[{GROUP}]" not in text:
                continue
            dist, dist_version = _name_version(entry.path, name, version or None)
            found.extend(FoundEntryPoint(n, v, dist, dist_version or None) for n, v in _group(text))
    return found


def _group(text: str) -> list[tuple[str, str]]:
    out, inside = [], False
    for line in text.splitlines():
        m = _SECTION.match(line)
        if m:
            inside = m.group("name").strip() == GROUP
        elif inside and "=" in line and not line.lstrip().startswith(("#", ";")):
            n, _, v = line.partition("=")
            out.append((n.strip(), v.strip()))
    return out


def _name_version(path: str, name: str, version: str | None) -> tuple[str, str | None]:
    """The distribution's own spelling of its name (and version) from its METADATA."""
    for meta in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(path, meta), encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.startswith("Name:"):
                        name = line[5:].strip()
                    elif line.startswith("Version:"):
                        version = line[8:].strip()
                    elif not line.strip():
                        break
            break
        except OSError:
            continue
    return name, version


def plugin_entry_points() -> list[FoundEntryPoint]:
    """The entry points of the group the allowlist lets load, in load order: built-ins first, then by name."""
    allowed = allowlist()
    keyed = []
    for ep in scan():
        if allowed is None or ep.name in allowed:
            origin = entry_point_origin(ep)
            keyed.append(((not origin["builtin"], ep.name, origin["distribution"] or ""), ep))
    return [ep for _key, ep in sorted(keyed, key=lambda k: k[0])]


def is_builtin_object(plugin) -> bool:
    """Whether a plugin object (registered directly, not from an entry point) is one of govconv's own."""
    if isinstance(plugin, types.ModuleType):
        module = plugin.__name__
    else:
        module = (plugin if isinstance(plugin, type) else type(plugin)).__module__
    return (module or "").split(".")[0] in BUILTIN_PACKAGES


def unknown_hooks(pm: pluggy.PluginManager, plugin) -> list[tuple[str, str | None]]:
    """The hooks ``plugin`` implements that govconv does not define, each with the nearest real hook.

    pluggy accepts such a hook at registration and only ``check_pending()``
    complains, for every plugin at once; this checks one plugin on its own.
    """
    out = []
    for name, caller in sorted(vars(pm.hook).items()):
        if name.startswith("_") or caller.has_spec():
            continue
        if any(impl.plugin is plugin and not impl.optionalhook for impl in caller.get_hookimpls()):
            import difflib      # only for a plugin that is wrong: the nearest real hook, to name in the error

            known = [n for n, c in vars(pm.hook).items() if not n.startswith("_") and c.has_spec()]
            near = difflib.get_close_matches(name, known, n=1)
            out.append((name, near[0] if near else None))
    return out


def describe(e: BaseException) -> str:
    """An exception as one short line: ``Type: message``."""
    text = " ".join(f"{type(e).__name__}: {e}".split())
    return text if len(text) <= 300 else text[:299] + "…"


def warn(zh: str, en: str) -> None:
    """One line on stderr, in Chinese and English, like every message of govconv."""
    print(f"govconv: {zh} / {en}", file=sys.stderr)
