"""The one span type: half-open ``[start, end)`` code-point offsets that carry their surface text."""
from __future__ import annotations

from dataclasses import dataclass

from aqwal.corpus.errors import InvalidData, Problem, shown


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """``text`` is what the document holds at ``[start, end)``; checked against the document on entry."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not (_is_int(self.start) and _is_int(self.end)):
            raise InvalidData(Problem("span", "start/end", f"offsets must be integers, got {shown(self.start)}, "
                                      f"{shown(self.end)}", "give code-point offsets as integers"))
        if not isinstance(self.text, str):
            raise InvalidData(Problem("span", "text", f"text must be a string, got {type(self.text).__name__}",
                                      "give the span's surface text"))
        if not 0 <= self.start < self.end:
            raise InvalidData(Problem("span", "start/end", f"[{self.start}, {self.end}) is empty or negative",
                                      "offsets are half-open: 0 <= start < end"))
        if self.end - self.start != len(self.text):
            raise InvalidData(Problem(
                "span", "text", f"[{self.start}, {self.end}) is {self.end - self.start} code points but its "
                f"text {shown(self.text)} has {len(self.text)}",
                "offsets count Unicode code points, not UTF-16 units or bytes; make end - start equal len(text)"))

    def check_against(self, document_text: str) -> str | None:
        """None when the span is in range and its text matches the document, else the mismatch."""
        if self.end > len(document_text):
            return f"[{self.start}, {self.end}) runs past the end of the text ({len(document_text)} code points)"
        found = document_text[self.start:self.end]
        if found != self.text:
            return f"text[{self.start}:{self.end}] is {shown(found)}, not {shown(self.text)}"
        return None

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def of(cls, document_text: str, start: int, end: int) -> "Span":
        """The span of ``document_text[start:end]``."""
        return cls(start, end, document_text[start:end])
