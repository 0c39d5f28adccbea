"""Benchmarks of the dashboard: naive baseline, scaling, browser figures and a load test (not run in CI)."""
