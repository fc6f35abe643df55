"""Exporter ``xml``: everything the JSON carries, as a namespaced XML document.

The document is valid against ``govconv/schemas/report.xsd`` (namespace
``urn:govconv:report:1``).  Its root is always ``<reports>``, holding one
``<report>`` per converted file, even when there is only one.

Null: an element whose value is null (a missing title, a cell's value, the raw
text of a cell that does not exist) is present with ``xsi:nil="true"``; an
empty string is an empty element.

Characters XML 1.0 cannot carry (the control characters U+0001–U+0008,
U+000B, U+000C, U+000E–U+001F, lone surrogates U+D800–U+DFFF, and
U+FFFE/U+FFFF; NUL never reaches an exporter) are each replaced by U+FFFD in
the element's text, and the element gets an attribute
``replaced="OFFSET:U+XXXX …"`` listing, for every replaced character, its
0-based offset (in code points) in the text and its original code point.  The
text is otherwise kept exactly, so the original can be rebuilt from the two.
A ``key`` attribute (the key of an option or of a finding's values) that held
such characters gets ``key_replaced`` in the same form.
"""
from __future__ import annotations

from decimal import Decimal

from govconv import Exporter, hookimpl
from govconv.reading.patterns import lazy

NS = "urn:govconv:report:1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FORMAT_VERSION = 1

# everything XML 1.0 forbids except NUL, which the model already removed (kept here for safety)
_FORBIDDEN = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> tuple[str, str | None]:
    """(text with each forbidden character replaced by U+FFFD, the ``replaced`` record or None)."""
    marks = [f"{m.start()}:U+{ord(m.group()):04X}" for m in _FORBIDDEN.finditer(text)]
    if not marks:
        return text, None
    return _FORBIDDEN.sub("\ufffd", text), " ".join(marks)


def restore(text: str, replaced: str | None) -> str:
    """The original text back from an element's text and its ``replaced`` attribute."""
    if not replaced:
        return text
    chars = list(text)
    for mark in replaced.split():
        offset, code = mark.split(":U+")
        chars[int(offset)] = chr(int(code, 16))
    return "".join(chars)


def _number(v) -> str:
    if isinstance(v, bool):
        raise TypeError("a bool is not a number")
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


class XmlExporter(Exporter):
    name = "xml"
    extension = "xml"
    description = "namespaced XML (urn:govconv:report:1), valid against the shipped report.xsd"
    options = {}

    def export(self, reports, stream, options) -> None:
        from lxml import etree

        b = _Builder(etree)
        root = b.el(None, "reports", count=str(len(reports)), format_version=str(FORMAT_VERSION))
        for r in reports:
            b.report(root, r)
        stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


class _Builder:
    def __init__(self, etree):
        self.etree = etree

    # -- primitives ------------------------------------------------------------
    def el(self, parent, tag: str, text: str | None = None, **attrs):
        q = f"{{{NS}}}{tag}"
        if parent is None:
            e = self.etree.Element(q, nsmap={None: NS, "xsi": XSI})
        else:
            e = self.etree.SubElement(parent, q)
        for k, v in attrs.items():
            if v is not None:
                e.set(k, clean(v)[0])
        if text is not None:
            self.set_text(e, text)
        return e

    def set_text(self, e, text: str) -> None:
        t, rep = clean(text)
        e.text = t
        if rep:
            e.set("replaced", rep)

    def nil(self, e) -> None:
        e.set(f"{{{XSI}}}nil", "true")

    def opt_text(self, parent, tag: str, text: str | None, **attrs):
        """A text element, nil when the text is None."""
        e = self.el(parent, tag, **attrs)
        if text is None:
            self.nil(e)
        else:
            self.set_text(e, text)
        return e

    def opt_number(self, parent, tag: str, v, **attrs):
        e = self.el(parent, tag, **attrs)
        if v is None:
            self.nil(e)
        else:
            e.text = _number(v)
        return e

    def keyed(self, e, key: str) -> None:
        k, rep = clean(str(key))
        e.set("key", k)
        if rep:
            e.set("key_replaced", rep)

    def value(self, parent, tag: str, v, key: str | None = None):
        """Any JSON-like value, typed: null, bool, int, decimal, string, list, map."""
        e = self.el(parent, tag)
        if key is not None:
            self.keyed(e, key)
        if v is None:
            e.set("type", "null")
        elif isinstance(v, bool):
            e.set("type", "bool")
            e.text = "true" if v else "false"
        elif isinstance(v, int):
            e.set("type", "int")
            e.text = str(v)
        elif isinstance(v, (Decimal, float)):
            e.set("type", "decimal")
            e.text = format(Decimal(str(v)) if isinstance(v, float) else v, "f")
        elif isinstance(v, str):
            e.set("type", "string")
            self.set_text(e, v)
        elif isinstance(v, dict):
            e.set("type", "map")
            for k, item in v.items():
                self.value(e, "item", item, key=str(k))
        elif isinstance(v, (list, tuple)):
            e.set("type", "list")
            for item in v:
                self.value(e, "item", item)
        else:
            e.set("type", "string")
            self.set_text(e, str(v))
        return e

    def origin(self, parent, o) -> None:
        if o is None:
            return
        attrs = {}
        if o.line is not None:
            attrs["line"] = str(o.line)
        if o.page is not None:
            attrs["page"] = str(o.page)
        if o.bbox:
            attrs["bbox"] = " ".join(repr(float(x)) for x in o.bbox)
        self.el(parent, "origin", **attrs)

    # -- the report --------------------------------------------------------------
    def report(self, root, r) -> None:
        rep = self.el(root, "report", layout=r.layout, format_version=str(FORMAT_VERSION))

        meta = self.el(rep, "meta")
        self.opt_text(meta, "title", r.meta.title)
        self.opt_text(meta, "agency", r.meta.agency)
        self.opt_number(meta, "year", r.meta.year)
        if r.meta.published is not None:           # like the JSON: present only when printed
            self.el(meta, "published", r.meta.published)

        s = r.source
        src = self.el(rep, "source")
        self.opt_text(src, "file", s.file)
        self.opt_text(src, "format", s.format)
        self.opt_text(src, "sha256", s.sha256)
        self.opt_text(src, "loader", s.loader)
        self.opt_number(src, "size", s.size)

        opts = self.el(rep, "options")
        for k, v in r.options.to_dict().items():
            self.value(opts, "option", v, key=k)

        self.el(rep, "preamble", r.preamble or "")

        secs = self.el(rep, "sections")
        for sec in r.sections:
            se = self.el(secs, "section", number=str(sec.number))
            self.el(se, "heading", sec.heading)
            self.el(se, "text", sec.text)
            self.origin(se, sec.origin)

        tables = self.el(rep, "tables")
        for t in r.tables.values():
            te = self.el(tables, "table", key=t.key)
            self.el(te, "label", t.label)
            for row in t.rows.values():
                re_ = self.el(te, "row", key=row.key)
                self.el(re_, "label", row.label)
                for c in row.cells.values():
                    ce = self.el(re_, "cell", column=c.column, address=c.address,
                                 blank="true" if c.blank else "false")
                    self.el(ce, "label", c.label)
                    self.opt_text(ce, "raw", c.raw)
                    v = self.opt_number(ce, "value", c.value)
                    if c.value is not None:
                        v.set("type", "int" if isinstance(c.value, int) else "decimal")
                    self.origin(ce, c.origin)

        blanks = self.el(rep, "blank_cells")
        for a in r.blank_cells():
            self.el(blanks, "address", a)

        fs = self.el(rep, "findings")
        for f in r.findings:
            fe = self.el(fs, "finding", rule=f.rule, severity=f.severity)
            cells = self.el(fe, "cells")
            for a in f.cells:
                self.el(cells, "address", a)
            vals = self.el(fe, "values")
            for k, v in f.values.items():
                self.value(vals, "value", v, key=str(k))
            self.el(fe, "message_zh", f.message_zh)
            self.el(fe, "message_en", f.message_en)


@hookimpl
def register_exporters(register):
    register(XmlExporter())
