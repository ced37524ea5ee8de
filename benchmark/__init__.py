"""Benchmark: submission format, validation, scoring, systems and the leaderboard."""
