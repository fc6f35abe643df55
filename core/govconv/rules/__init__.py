"""Rules: the consistency checks (勾稽关系) run on every report."""
