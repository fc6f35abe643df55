"""What a layout plugin registers.  See ``docs/plugins.md``."""
from __future__ import annotations

from typing import TYPE_CHECKING

from govconv.model.report import Finding, Report, ReportOptions

if TYPE_CHECKING:  # the engine is imported when a layout reads, not when one is registered
    from govconv.model.document import Document
    from govconv.model.template import Template
    from govconv.model.values import Convention
    from govconv.reading.engine import ReadOptions


class Layout:
    """Turns a :class:`Document` into a :class:`Report`.

    ``id`` is the report's ``layout``; :meth:`detect` says how sure the layout
    is (0.0 … 1.0) that a document follows it; :meth:`parse` reads it.  A
    layout knows nothing of file formats.
    """

    id: str = ""
    description: str = ""
    priority: int = 0
    convention: str = "national"

    def detect(self, doc: Document) -> float:
        return 0.0

    def parse(self, doc: Document, options: ReadOptions, convention: Convention) -> Report:
        raise NotImplementedError

    def rule_findings(self, report: Report) -> list[Finding]:
        """The findings of the consistency rules this layout's tables carry (none by default)."""
        return []

    def __repr__(self) -> str:
        return f"<Layout {self.id}>"


class TemplateLayout(Layout):
    """A layout described by a :class:`Template`: the usual way to write one."""

    def __init__(self, template: Template, priority: int = 0):
        self.template = template
        self.id = template.id
        self.description = template.description
        self.priority = priority
        self.convention = template.convention

    def detect(self, doc: Document) -> float:
        from govconv.reading.engine import detect

        return detect(self.template, doc)

    def rule_findings(self, report: Report) -> list[Finding]:
        """The template's declared rules (RowSum, ColumnSum, Balance), evaluated by core's one engine,
        then its text claims (TextClaim: the narrative against the tables), by core's one matcher."""
        from govconv.rules.declared import evaluate
        from govconv.rules.text_claims import evaluate_claims

        return evaluate(self.template, report) + evaluate_claims(self.template, report)

    def parse(self, doc: Document, options: ReadOptions, convention: Convention) -> Report:
        from govconv.reading.engine import TemplateReader
        from govconv.reading.narrative import read as read_narrative

        reader = TemplateReader(self.template, convention, options)
        report = Report(layout=self.id)
        reader.read(doc, report)
        words = read_narrative(doc, self.template)
        report.meta, report.sections, report.preamble = words.meta, words.sections, words.preamble
        report.findings.extend(reader.findings)
        report.options = ReportOptions(blank=options.blank, template_years=self.template.years)
        return report
