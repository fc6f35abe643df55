"""Writing: what an exporter is."""
