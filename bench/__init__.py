"""Benchmarks: run each from the checkout as `python -m bench.<name>` (e.g. `python -m bench.machine`)."""
