"""The annotator registry: who or what each Label Studio account is.

A registry file (the project's is ``annotation/annotators.tsv``, given to the commands that need it) is
tab-separated, a header line ``email annotator kind description``) names, for
each Label Studio user e-mail, the annotator id recorded in the documents, its kind (``human`` or ``system``:
a system is anything that is not a person, for example a language model annotating through the API) and a
one-sentence description that the dataset card prints as it is.  The converter reads it so that an account
driven by a program is never recorded as a person; the card reads it to say what each annotator was.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from aqwal.corpus.errors import InvalidData, Problem

COLUMNS = ("email", "annotator", "kind", "description")
KINDS = ("human", "system")


@dataclass(frozen=True, slots=True)
class Annotator:
    email: str
    annotator: str
    kind: str
    description: str


def load_registry(path: str | Path) -> dict[str, Annotator]:
    """e-mail -> Annotator; an empty registry when the file does not exist.  InvalidData names file:line."""
    path = Path(path)
    if not path.is_file():
        return {}
    problems: list[Problem] = []
    out: dict[str, Annotator] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if not rows or tuple(c.strip() for c in rows[0]) != COLUMNS:
        raise InvalidData(Problem(f"{path}:1", "header", f"header is {rows[0] if rows else 'missing'}",
                                  f"start the file with the tab-separated header {' '.join(COLUMNS)}"))
    ids: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        where = f"{path}:{line}"
        if len(row) != len(COLUMNS):
            problems.append(Problem(where, "", f"{len(row)} columns", f"give {len(COLUMNS)} tab-separated "
                                    f"columns: {', '.join(COLUMNS)}"))
            continue
        email, annotator, kind, description = (c.strip() for c in row)
        if not email or not annotator or not description:
            problems.append(Problem(where, "", "empty e-mail, annotator or description", "fill every column"))
        elif kind not in KINDS:
            problems.append(Problem(where, "kind", f"{kind!r}", f"use one of {', '.join(KINDS)}"))
        elif email in out:
            problems.append(Problem(where, "email", f"{email!r} again", "one line per account"))
        elif ids.get(annotator, email) != email:
            problems.append(Problem(where, "annotator", f"{annotator!r} is also {ids[annotator]!r}",
                                    "give each account its own annotator id"))
        else:
            ids[annotator] = email
            out[email] = Annotator(email, annotator, kind, description)
    if problems:
        raise InvalidData(problems)
    return out


def descriptions(registry: dict[str, Annotator]) -> dict[str, Annotator]:
    """annotator id -> Annotator, for saying in a card what each recorded annotator was."""
    return {a.annotator: a for a in registry.values()}
