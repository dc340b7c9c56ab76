"""Benchmarks, importable by the benchmark runner."""
