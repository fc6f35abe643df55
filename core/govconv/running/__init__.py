"""Running a conversion: the pipeline, its limits and the last clean-up of a report."""
