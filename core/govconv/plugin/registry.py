"""The registry: every loader, layout, convention, exporter and check the plugins offer.

An embedding application makes its own ``Registry()`` (or
``Registry(load_entry_points=False)`` and ``register_plugin(...)`` for full
control); the CLI and :func:`govconv.convert` use :func:`default_registry`.
Choice among candidates is explicit: highest confidence, then highest
declared priority, then name — never the order plugins were registered in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from govconv.rules.checks import BUILTIN_CHECKS, Check
from govconv.model.document import Document
from govconv.errors import NotAReport, UnsupportedInput, UsageError
from govconv.writing.exporter import Exporter
from govconv.reading.layout import Layout
from govconv.reading.loader import Loader
from govconv.plugin.manager import new_manager
from govconv.reading.source import Source
from govconv.model.values import Convention


@dataclass
class PluginInfo:
    name: str
    version: str | None
    distribution: str | None
    module: str | None
    hooks: list[str] = field(default_factory=list)
    provides: list[str] = field(default_factory=list)


class Registry:
    def __init__(self, load_entry_points: bool = True):
        self.pm, self._origins, self.load_errors = new_manager(load_entry_points)
        self._cache: dict[str, dict] | None = None

    # -- plugins -------------------------------------------------------------
    def register_plugin(self, plugin, name: str | None = None) -> None:
        """Register a plugin object or module directly (for embedding apps and tests)."""
        self.pm.register(plugin, name=name)
        self.pm.check_pending()
        self._cache = None

    def unregister_plugin(self, name: str) -> None:
        self.pm.unregister(name=name)
        self._cache = None

    def _collect(self) -> dict[str, dict]:
        if self._cache is None:
            found = {"loaders": {}, "layouts": {}, "conventions": {}, "exporters": {}, "checks": {}}
            hooks = self.pm.hook
            for kind, hook, key in (("loaders", hooks.register_loaders, "name"),
                                    ("layouts", hooks.register_layouts, "id"),
                                    ("conventions", hooks.register_conventions, "name"),
                                    ("exporters", hooks.register_exporters, "name"),
                                    ("checks", hooks.register_checks, "rule")):
                hook(register=lambda obj, kind=kind, key=key: found[kind].__setitem__(getattr(obj, key), obj))
            for check in BUILTIN_CHECKS:
                found["checks"].setdefault(check.rule, check)
            self._cache = found
        return self._cache

    @property
    def loaders(self) -> dict[str, Loader]:
        return self._collect()["loaders"]

    @property
    def layouts(self) -> dict[str, Layout]:
        return self._collect()["layouts"]

    @property
    def conventions(self) -> dict[str, Convention]:
        return self._collect()["conventions"]

    @property
    def exporters(self) -> dict[str, Exporter]:
        return self._collect()["exporters"]

    @property
    def checks(self) -> dict[str, Check]:
        return self._collect()["checks"]

    def plugins(self) -> list[PluginInfo]:
        out = []
        for name, plugin in sorted(self.pm.list_name_plugin(), key=lambda np: np[0]):
            origin = self._origins.get(name, {})
            hooks = sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])
            provides = []
            for kind, hook in (("loader", "register_loaders"), ("layout", "register_layouts"),
                               ("convention", "register_conventions"),
                               ("exporter", "register_exporters"), ("check", "register_checks")):
                if hook in hooks:
                    impl = getattr(plugin, hook)
                    impl(register=lambda obj, kind=kind: provides.append(
                        f"{kind}:{getattr(obj, 'name', None) or getattr(obj, 'id', None) or obj.rule}"))
            out.append(PluginInfo(name, origin.get("version"), origin.get("distribution"),
                                  origin.get("module") or getattr(plugin, "__name__", None), hooks, provides))
        return out

    # -- choosing --------------------------------------------------------------
    def choose_loader(self, source: Source, name: str | None = None) -> Loader:
        if name:
            try:
                return self.loaders[name]
            except KeyError:
                raise UsageError(f"没有名为 {name} 的读取器", f"no loader named {name!r}") from None
        scored = [(lo.accepts(source), lo.priority, lo.name, lo) for lo in self.loaders.values()]
        scored = [s for s in scored if s[0] > 0]
        if not scored:
            raise UnsupportedInput("无法识别的文件格式（支持：%s）" % self._extensions(),
                                   "unsupported file format (supported: %s)" % self._extensions(),
                                   path=source.name)
        scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
        return scored[0][3]

    def _extensions(self) -> str:
        return ", ".join(sorted({e for lo in self.loaders.values() for e in lo.extensions})) or "-"

    def choose_layout(self, doc: Document, name: str | None = None, source_name: str | None = None) -> Layout:
        if name:
            try:
                return self.layouts[name]
            except KeyError:
                raise UsageError(f"没有名为 {name} 的版式", f"no layout named {name!r}") from None
        scored = [(la.detect(doc), la.priority, la.id, la) for la in self.layouts.values()]
        scored = [s for s in scored if s[0] > 0]
        if not scored:
            raise NotAReport("没有识别出政府信息公开工作年度报告的表格",
                             "no annual-report tables recognised in this document", path=source_name)
        scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
        return scored[0][3]

    def exporter(self, name: str) -> Exporter:
        try:
            return self.exporters[name]
        except KeyError:
            raise UsageError(f"没有名为 {name} 的输出格式（可用：{', '.join(sorted(self.exporters))}）",
                             f"no output format {name!r} (available: {', '.join(sorted(self.exporters))})"
                             ) from None

    def convention(self, name: str) -> Convention:
        try:
            return self.conventions[name]
        except KeyError:
            raise UsageError(f"没有名为 {name} 的单元格约定", f"no cell convention named {name!r}") from None


_default: Registry | None = None


def default_registry() -> Registry:
    """The registry of the installed plugins, made once per process."""
    global _default
    if _default is None:
        _default = Registry()
    return _default
