"""Reviewing reports: one self-contained HTML page per report (:mod:`.page`, ``govconv review``),
the crops of a PDF's cells (:mod:`.crops`) and a Datasette metadata file for the SQLite output
(:mod:`.datasette`).  See ``docs/review.md``."""
