"""The data model: the document a loader reads, the report a layout makes, templates and cell values."""
