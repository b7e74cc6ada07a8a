"""Benchmarks at provincial scale (`make bench`): a generated data set in its own
database, page latencies and query counts through the full Django stack, the heavy
computations, and a short load test. Never part of `make test` or CI."""
