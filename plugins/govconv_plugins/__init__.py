"""govconv's built-in plugins: one module each, registered through the ``govconv``
entry-point group in pyproject.toml exactly as a third party's plugin would be.
No module here imports another."""
