"""Benchmarks of the sms123 integration, run by scripts/bench."""
