"""The project's exception hierarchy.

Every message names the place (file, line, document, field) and says what to fix.  The command line
prints these without a traceback; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

from dataclasses import dataclass


SHOWN = 60  # characters of a value quoted in a message
LONGEST = 2_000  # characters of one message, whatever it quotes


def shown(value: object, limit: int = SHOWN) -> str:
    """``repr(value)``, cut to about ``limit`` characters with the full length said: a message quotes what was
    wrong without echoing a 50 MB string."""
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f"{len(value):,} characters" if isinstance(value, str) else f"{len(text):,} characters as text"
    return f"{text[:limit]}… ({size})"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one field of one record."""

    where: str  # e.g. "gold.jsonl:12 document 'wn-003'"
    field: str  # e.g. "entities[2].end"
    message: str  # what is wrong
    fix: str  # what to do about it

    def __str__(self) -> str:
        place = f"{self.where}, field {self.field}" if self.field else self.where
        message = self.message if len(self.message) <= LONGEST else f"{self.message[:LONGEST]}… (cut)"
        return f"{place}: {message} (fix: {self.fix})"

    def to_dict(self) -> dict:
        return {"where": self.where, "field": self.field, "message": self.message[:LONGEST], "fix": self.fix}


def decoding_problem(where: str, err: Exception, fix: str) -> Problem:
    """A typed decoder's error (msgspec's "message - at `$.path`") as a Problem whose field is that path."""
    message, sep, at = str(err).rpartition(" - at `$")
    if not sep:
        return Problem(where, "", str(err), fix)
    return Problem(where, at.rstrip("`").lstrip("."), message, fix)


class AqwalError(Exception):
    """Base of every error a user can cause."""


class InvalidData(AqwalError, ValueError):
    """A record breaks the data model; carries every problem found in it."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def located(self, where: str) -> "InvalidData":
        """The same problems, placed in a file/record (``where``) instead of their default place."""
        return type(self)([Problem(where, p.field, p.message, p.fix) for p in self.problems])


class FormatError(AqwalError, ValueError):
    """A file cannot be read at all: not JSON, not UTF-8, a corrupt archive..."""


class ConfigError(AqwalError, ValueError):
    """A command was given options that do not fit together, or an unknown name."""


class ServiceError(AqwalError, RuntimeError):
    """A service the command needs (Label Studio, the Hub) failed or refused."""
