"""Progress bars for people at a terminal: a tqdm bar on standard error when it is a terminal and the caller
allows one; nothing otherwise, so that logs, pipes and CI output carry no bar redrawn a hundred times."""
from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any


def bar(iterable: Iterable | None = None, *, enabled: bool = True, file: Any = None, **options):
    """``tqdm(iterable, **options)`` writing to ``file`` (standard error by default), disabled unless
    ``enabled`` and ``file`` is a terminal.  A disabled bar still iterates."""
    from tqdm import tqdm

    file = sys.stderr if file is None else file
    on = enabled and bool(getattr(file, "isatty", lambda: False)())
    return tqdm(iterable, file=file, disable=not on, **options)
