"""The benchmark: submission format and validation, scorers, significance, leaderboard.

``SCORER_VERSION`` changes whenever a change can move a score; every result records it.
"""
SCORER_VERSION = "2.0.0"
RESAMPLES = 10_000  # bootstrap resamples by default
SEED = 20_240_601  # bootstrap seed by default
