"""The registry: every loader, layout, convention, exporter and check the plugins offer.

An embedding application makes its own ``Registry()`` (or
``Registry(load_entry_points=False)`` and ``register_plugin(...)`` for full
control); the CLI and :func:`govconv.convert` use :func:`default_registry`.
Choice among candidates is explicit: highest confidence, then highest
declared priority, then name — never the order plugins were registered in.

Each plugin is checked and asked what it offers *when it registers*, on its
own (through pluggy's per-plugin hook callers).  A plugin from an entry point
that cannot be used — it fails to import, implements a hook govconv does not
define, its hook raises, it registers something that is not a Loader/Layout/
Convention/Exporter/Check or has no name — is skipped with one warning line
and recorded in :attr:`Registry.load_errors`.  A name registered twice (same
kind) keeps the first: the later registration is skipped with a warning,
unless it is registered with ``override=True`` and the first is a built-in,
which it then replaces.  ``register_plugin`` raises instead of warning.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pluggy

from govconv.rules.checks import BUILTIN_CHECKS, Check
from govconv.model.document import Document
from govconv.errors import NotAReport, PluginError, UnsupportedInput, UsageError
from govconv.writing.exporter import Exporter
from govconv.reading.layout import Layout
from govconv.reading.loader import Loader
from govconv.plugin.manager import (BUILTIN_DISTRIBUTION, describe, entry_point_origin, is_builtin_object, new_manager,
                                    plugin_entry_points, unknown_hooks, warn)
from govconv.reading.source import Source
from govconv.model.values import Convention

# kind, hook, what it must be, the attribute naming it, the kind in Chinese
KINDS = (("loader", "register_loaders", Loader, "name", "读取器"),
         ("layout", "register_layouts", Layout, "id", "版式"),
         ("convention", "register_conventions", Convention, "name", "单元格约定"),
         ("exporter", "register_exporters", Exporter, "name", "输出格式"),
         ("check", "register_checks", Check, "rule", "检查规则"))
_ZH = {kind: zh for kind, _h, _c, _a, zh in KINDS}
CORE = "govconv"  # the name the core's own checks (BUILTIN_CHECKS) are registered under


@dataclass
class PluginInfo:
    name: str
    version: str | None
    distribution: str | None
    module: str | None
    hooks: list[str] = field(default_factory=list)
    #: what it registered and the registry uses, ``kind:name``
    provides: list[str] = field(default_factory=list)
    #: of ``provides``, what replaces a built-in (registered with ``override=True``):
    #: ``kind:name (plugin P)``, P the built-in plugin replaced
    overrides: list[str] = field(default_factory=list)
    #: what it registered under a name another plugin had registered first, and was skipped:
    #: ``kind:name (plugin P)``, P the plugin whose registration was kept
    skipped: list[str] = field(default_factory=list)
    #: why the whole plugin was skipped (then ``hooks`` and ``provides`` are empty), else None
    error: str | None = None


class InvalidPlugin(PluginError, pluggy.PluginValidationError):
    """A plugin implementing a hook govconv does not define, or a hook with arguments it does not take.

    Both a :class:`govconv.errors.PluginError` and the ``pluggy.PluginValidationError``
    ``register_plugin`` raised before.
    """

    def __init__(self, zh: str, en: str, *, path: str | None = None, plugin=None):
        self.zh, self.en, self.path, self.plugin = zh, en, path, plugin
        Exception.__init__(self, f"{zh} / {en}")


class PluginNameTaken(PluginError, ValueError):
    """A plugin registered under a name (or as an object) already registered: also the
    ``ValueError`` ``register_plugin`` raised before."""


@dataclass
class _Offer:
    """One thing one plugin registered."""
    kind: str
    key: str
    obj: object
    override: bool = False

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass
class _Record:
    """One plugin: where it comes from, its hooks, what it registered — or why it was skipped."""
    name: str
    plugin: object
    origin: dict
    builtin: bool
    hooks: list[str] = field(default_factory=list)
    offers: list[_Offer] = field(default_factory=list)
    error: str | None = None


class _Refused(Exception):
    """Why a plugin cannot be registered, in both languages, without the plugin's name
    (``zh`` None: the reason is a foreign exception, said once, in the English half)."""

    def __init__(self, zh: str | None, en: str, raise_as: type[PluginError] = PluginError):
        super().__init__(en)
        self.zh, self.en, self.raise_as = zh, en, raise_as   # what register_plugin raises


@dataclass
class _State:
    """What the records resolve to: the winner of every name, and who replaced or lost what."""
    tables: dict[str, dict[str, tuple[_Offer, _Record]]]
    overrides: dict[str, list[tuple[_Offer, _Record]]]
    skipped: dict[str, list[tuple[_Offer, _Record]]]
    views: dict[str, dict] = field(default_factory=dict)


def _resolve(records: list[_Record]) -> _State:
    """The first registration of a name wins, whatever the order of the rest, except that
    ``override=True`` replaces a built-in's registration (one built-in, by one override)."""
    tables: dict[str, dict] = {kind: {} for kind, *_ in KINDS}
    overrides: dict[str, list] = {}
    skipped: dict[str, list] = {}
    replacing: set[int] = set()   # ids of the overriding offers that replaced a built-in
    for rec in records:
        for off in rec.offers:
            slot = tables[off.kind]
            have = slot.get(off.key)
            if have is None:
                slot[off.key] = (off, rec)
                continue
            hoff, hrec = have
            if off.override and hrec.builtin and not hoff.override:
                slot[off.key] = (off, rec)
                replacing.add(id(off))
                overrides.setdefault(rec.name, []).append((off, hrec))
            elif rec.builtin and not off.override and hoff.override and id(hoff) not in replacing:
                replacing.add(id(hoff))   # the override came first (register_plugin order): it still wins
                overrides.setdefault(hrec.name, []).append((hoff, rec))
            else:
                skipped.setdefault(rec.name, []).append((off, hrec))
    views = {}
    for kind, slot in tables.items():
        # the core's checks after the plugins' own, as the registry always listed them
        ordered = sorted(slot.items(), key=lambda item: item[1][1].name == CORE and item[1][1].plugin is None)
        views[kind] = {key: off.obj for key, (off, _rec) in ordered}
    return _State(tables, overrides, skipped, views)


class Registry:
    def __init__(self, load_entry_points: bool = True):
        self.pm = new_manager()
        #: entry point name -> why that plugin was skipped (it is listed by :meth:`plugins` too)
        self.load_errors: dict[str, str] = {}
        self._records: dict[str, _Record] = {}
        self._broken: list[_Record] = []
        self._core = _Record(CORE, None, {"distribution": "govconv", "module": "govconv.rules.checks"},
                             builtin=True, offers=[_Offer("check", c.rule, c) for c in BUILTIN_CHECKS])
        self._state: _State | None = None
        if load_entry_points:
            for ep in plugin_entry_points():
                self._load_entry_point(ep)

    # -- plugins -------------------------------------------------------------
    def register_plugin(self, plugin, name: str | None = None) -> None:
        """Register a plugin object or module directly (for embedding apps and tests).

        Raises :class:`InvalidPlugin` (also a ``pluggy.PluginValidationError``) for a
        hook govconv does not define, :class:`PluginNameTaken` (also a ``ValueError``)
        for a plugin name already in use, and :class:`govconv.errors.PluginError` for a
        hook that raises, a registration that is not what the hook takes, or a name
        (loader, layout, convention, exporter, check rule) another plugin already
        registered, unless registered with ``override=True`` over a built-in.  A
        refused plugin leaves the registry as it was.
        """
        label = name or self.pm.get_canonical_name(plugin)
        builtin = is_builtin_object(plugin)
        origin = {"module": _module_of(plugin), "distribution": None, "version": None}
        if builtin:  # one of govconv's own, registered by hand: its origin is known all the same
            origin.update(distribution=BUILTIN_DISTRIBUTION, version=_builtin_version())
        try:
            self._add(plugin, name, origin, builtin, strict=True)
        except _Refused as e:
            raise e.raise_as(f"插件 {label} 无法注册：{e.zh or e.en}",
                             f"plugin {label} cannot be registered: {e.en}") from None

    def unregister_plugin(self, name: str) -> None:
        """Remove a plugin and everything it registered (a built-in it replaced comes back)."""
        if self._records.pop(name, None) is not None:
            self.pm.unregister(name=name)
        self._broken = [rec for rec in self._broken if rec.name != name]
        self.load_errors.pop(name, None)
        self._state = None

    def _load_entry_point(self, ep) -> None:
        origin = entry_point_origin(ep)
        builtin = origin.pop("builtin")
        if self.pm.is_blocked(ep.name):
            return
        try:
            if ep.name in self._records:
                other = self._records[ep.name].origin.get("distribution") or "?"
                raise _Refused(f"已有同名插件（来自 {other}）", f"another plugin of that name is loaded (from {other})")
            try:
                plugin = ep.load()
            except Exception as e:  # a broken plugin must not make the tool unusable
                raise _Refused(None, describe(e)) from None
            self._add(plugin, ep.name, origin, builtin, strict=False)
        except _Refused as e:
            self._skip(ep.name, origin, e.zh, e.en)
        except Exception as e:  # whatever else goes wrong with one plugin
            self._skip(ep.name, origin, None, describe(e))

    def _skip(self, name: str, origin: dict, zh: str | None, en: str) -> None:
        self.load_errors[name] = en
        self._broken.append(_Record(name, None, origin, builtin=False, error=en))
        warn(f"插件 {name} 加载失败，已跳过" + (f"（{zh}）" if zh else ""),
             f"plugin {name} failed to load and was skipped ({en})")

    def _add(self, plugin, name: str | None, origin: dict, builtin: bool, strict: bool) -> None:
        """Register one plugin, check its hooks and collect what it offers; refused: as if never registered."""
        pm = self.pm
        label = name or pm.get_canonical_name(plugin)
        taken = pm.get_name(plugin) if plugin is not None else None
        if taken is not None:
            raise _Refused(f"它已注册为插件 {taken}", f"it is already registered as plugin {taken}",
                           PluginNameTaken)
        if pm.get_plugin(label) is not None:
            raise _Refused("已有同名插件", "a plugin of that name is registered", PluginNameTaken)
        try:
            registered = pm.register(plugin, name=name)
        except pluggy.PluginValidationError as e:  # a hook's arguments are not the hook's
            raise _Refused("钩子的参数有误", f"bad hook arguments: {describe(e)}", InvalidPlugin) from None
        if registered is None:  # None, or a blocked name
            return
        try:
            unknown = unknown_hooks(pm, plugin)
            if unknown:
                hook, near = unknown[0]
                raise _Refused(f"未定义的钩子 {hook}" + (f"，是否应为 {near}？" if near else ""),
                               f"unknown hook {hook}" + (f" (did you mean {near}?)" if near else ""),
                               InvalidPlugin)
            rec = _Record(registered, plugin, origin, builtin,
                          hooks=sorted(h.name for h in pm.get_hookcallers(plugin) or []),
                          offers=self._offers(plugin))
            state = _resolve([self._core, *self._records.values(), rec])
            mine = state.skipped.get(rec.name, [])
            if strict and mine:
                off, other = mine[0]
                raise _Refused(f"{_ZH[off.kind]} {off.key} 已由插件 {other.name} 注册",
                               f"{off.kind} {off.key!r} is already registered by plugin {other.name}"
                               + (" (override=True replaces a built-in)" if other.builtin else ""))
        except BaseException:
            pm.unregister(plugin)
            raise
        self._records[rec.name] = rec
        self._state = state
        for off, other in mine:
            hint = ("；用 override=True 注册可替换内置的" if other.builtin else "",
                    "; register it with override=True to replace the built-in one" if other.builtin else "")
            warn(f"插件 {rec.name} 的{_ZH[off.kind]} {off.key} 已由插件 {other.name} 注册，已跳过{hint[0]}",
                 f"plugin {rec.name}: {off.kind} {off.key!r} is already registered by plugin {other.name}, "
                 f"skipped{hint[1]}")

    def _offers(self, plugin) -> list[_Offer]:
        """What ``plugin`` registers, calling only its own hook implementations (``specname=`` included)."""
        pm = self.pm
        others = [p for _name, p in pm.list_name_plugin() if p is not None and p is not plugin]
        try:
            for p in (plugin, *others):
                hash(p)
            subset = True
        except TypeError:  # pluggy's subset caller needs hashable plugins: call the functions directly
            subset = False
        offers: list[_Offer] = []
        for kind, hook, cls, attr, zh in KINDS:
            caller = getattr(pm.hook, hook)
            own = [impl for impl in caller.get_hookimpls() if impl.plugin is plugin]
            if not own:
                continue
            problems: list[_Refused] = []
            register = _callback(kind, hook, cls, attr, zh, offers, problems)
            try:
                if subset:
                    pm.subset_hook_caller(hook, others)(register=register)
                else:
                    for impl in own:
                        if not (impl.wrapper or impl.hookwrapper):
                            impl.function(**{arg: register for arg in impl.argnames if arg == "register"})
            except _Refused:
                raise
            except Exception as e:
                if problems:
                    raise problems[0] from None
                raise _Refused(f"{hook} 出错", f"{hook} raised {describe(e)}") from None
            if problems:  # the plugin swallowed the error its own registration raised
                raise problems[0]
        return offers

    def _resolved(self) -> _State:
        if self._state is None:
            self._state = _resolve([self._core, *self._records.values()])
        return self._state

    @property
    def loaders(self) -> dict[str, Loader]:
        return self._resolved().views["loader"]

    @property
    def layouts(self) -> dict[str, Layout]:
        return self._resolved().views["layout"]

    @property
    def conventions(self) -> dict[str, Convention]:
        return self._resolved().views["convention"]

    @property
    def exporters(self) -> dict[str, Exporter]:
        return self._resolved().views["exporter"]

    @property
    def checks(self) -> dict[str, Check]:
        return self._resolved().views["check"]

    def plugins(self) -> list[PluginInfo]:
        """Every plugin, skipped ones included (with their ``error``), by name; from what each
        registered when it was registered — no hook is called."""
        state = self._resolved()
        out = []
        for rec in sorted([*self._records.values(), *self._broken], key=lambda r: r.name):
            lost = {id(off) for off, _other in state.skipped.get(rec.name, [])}
            out.append(PluginInfo(
                rec.name, rec.origin.get("version"), rec.origin.get("distribution"), rec.origin.get("module"),
                list(rec.hooks), [off.label for off in rec.offers if id(off) not in lost],
                [f"{off.label} (plugin {other.name})" for off, other in state.overrides.get(rec.name, [])],
                [f"{off.label} (plugin {other.name})" for off, other in state.skipped.get(rec.name, [])],
                rec.error))
        return out

    # -- choosing --------------------------------------------------------------
    def loader(self, name: str) -> Loader:
        """The loader named ``name``; an unknown name is a usage error."""
        try:
            return self.loaders[name]
        except KeyError:
            raise UsageError(f"没有名为 {name} 的读取器", f"no loader named {name!r}") from None

    def layout(self, name: str) -> Layout:
        """The layout named ``name``; an unknown name is a usage error."""
        try:
            return self.layouts[name]
        except KeyError:
            raise UsageError(f"没有名为 {name} 的版式", f"no layout named {name!r}") from None

    def choose_loader(self, source: Source, name: str | None = None) -> Loader:
        if name:
            return self.loader(name)
        scored = [(lo.accepts(source), lo.priority, lo.name, lo) for lo in self.loaders.values()]
        scored = [s for s in scored if s[0] > 0]
        if not scored:
            raise UnsupportedInput(f"无法识别的文件格式（支持：{self._extensions()}）",
                                   f"unsupported file format (supported: {self._extensions()})",
                                   path=source.name)
        scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
        return scored[0][3]

    def _extensions(self) -> str:
        return ", ".join(sorted({e for lo in self.loaders.values() for e in lo.extensions})) or "-"

    def choose_layout(self, doc: Document, name: str | None = None, source_name: str | None = None) -> Layout:
        if name:
            return self.layout(name)
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


def _callback(kind: str, hook: str, cls: type, attr: str, zh: str,
              offers: list[_Offer], problems: list[_Refused]):
    """The ``register`` a hook is called with: ``register(obj)``, or ``register(obj, override=True)``
    to replace a built-in registered under the same name."""
    def register(obj, *, override: bool = False) -> None:
        key = getattr(obj, attr, None)
        if not isinstance(obj, cls):
            what = f"{type(obj).__module__}.{type(obj).__qualname__}"
            problems.append(_Refused(f"{hook} 注册的 {what} 不是 govconv.{cls.__name__}",
                                     f"{hook} registered a {what}, not a govconv.{cls.__name__}"))
        elif not isinstance(key, str) or not key.strip():
            article = "an" if cls.__name__[0] in "AEIOU" else "a"
            problems.append(_Refused(f"{hook} 注册的{zh}没有 {attr}",
                                     f"{hook} registered {article} {cls.__name__} without a {attr}"))
        else:
            offers.append(_Offer(kind, key, obj, bool(override)))
            return
        raise problems[-1]
    return register


def _builtin_version() -> str | None:
    from govconv import __version__    # the distribution's version, without reading its metadata

    return __version__


def _module_of(plugin) -> str | None:
    name = getattr(plugin, "__name__", None)
    if isinstance(name, str):
        return name
    cls = type(plugin)
    return f"{cls.__module__}.{cls.__qualname__}"


_default: Registry | None = None


def default_registry() -> Registry:
    """The registry of the installed plugins, made once per process."""
    global _default
    if _default is None:
        _default = Registry()
    return _default
