"""The one unit every table shows scores in: percent, one decimal (``73.6``).

Tables are the terminal output of ``evaluate`` and ``leaderboard``, and the board's Markdown, HTML, CSV and
plot; JSON holds the exact fractions in [0, 1], as the scorers compute them.
"""
from __future__ import annotations

import math

UNIT = "%"


def percent(x: float | None, missing: str = "n/a") -> str:
    """``0.7361`` → ``"73.6"``; ``missing`` when there was nothing to score."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    return f"{100 * x:.1f}"


def interval(bounds, missing: str = "n/a") -> str:
    """``[0.61, 0.82]`` → ``"[61.0, 82.0]"``."""
    lo, hi = bounds
    return f"[{percent(lo, missing)}, {percent(hi, missing)}]"
