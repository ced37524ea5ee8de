"""Aqwal (أقوال): an annotated corpus of Arabic news and the benchmark that ranks systems on it."""

__version__ = "0.1.0"
