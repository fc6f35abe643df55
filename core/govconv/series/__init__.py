"""Series across reports: one agency's reports, year after year (``govconv audit``).

:func:`govconv.audit` (:mod:`govconv.series.audit`) groups reports by agency and year and
raises ``series.carried_over``, ``series.in_force``, ``series.duplicate`` and ``series.gap``;
:func:`~govconv.series.audit.series_rows` gives its findings as rows of a
``series_findings`` table; :func:`~govconv.series.database.read_database` reads the reports
of a SQLite database govconv wrote; :mod:`govconv.series.command` is ``govconv audit``.
See docs/cli.md.

(The function is not re-exported here, so that ``govconv.series.audit`` stays the module.)
"""
