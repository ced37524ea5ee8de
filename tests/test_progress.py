"""Progress bars are drawn on a terminal only, and never when the caller turns them off."""
from __future__ import annotations

import io

from aqwal.corpus.progress import bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _drawn(file, **options) -> str:
    with bar(range(5), file=file, desc="work", mininterval=0, **options) as b:
        assert list(b) == [0, 1, 2, 3, 4]
    return file.getvalue()


def test_a_bar_is_drawn_on_a_terminal():
    assert "work" in _drawn(Terminal())


def test_no_bar_in_a_log_file_or_pipe():
    assert _drawn(io.StringIO()) == ""


def test_no_bar_when_turned_off_even_on_a_terminal():
    assert _drawn(Terminal(), enabled=False) == ""

