"""The agreement figures a build may put in the card (``--agreement FILE``), read strictly.

Minimal shape (JSON object; unknown keys are errors)::

    {"snapshot": "ls-2026-11-20",            # which annotation snapshot the figures come from
     "annotators": 3,                        # people who annotated the doubly annotated documents
     "documents": 25,                        # documents annotated by two or more of them
     "figures": [{"task": "entities", "measure": "pairwise exact-span F1", "value": 0.81,
                  "n": 412,                  # optional: items compared
                  "note": "..."}]}           # optional
"""
from __future__ import annotations

from pathlib import Path

from aqwal.corpus.errors import InvalidData, Problem
from aqwal.corpus.jsonl import read_json

_TOP = {"snapshot": str, "annotators": int, "documents": int, "figures": list}
_FIGURE = {"task": str, "measure": str, "value": (int, float)}
_FIGURE_OPTIONAL = {"n": int, "note": str}


def load_agreement(path: str | Path) -> dict:
    path = Path(path)
    data = read_json(path, fix="check the --agreement path; the shape is in corpus/release/agreement.py")
    problems: list[Problem] = []
    where = str(path)
    if not isinstance(data, dict):
        raise InvalidData(Problem(where, "", "must be a JSON object", "see corpus/release/agreement.py"))
    _check(data, _TOP, {}, where, "", problems)
    for i, fig in enumerate(data.get("figures") if isinstance(data.get("figures"), list) else []):
        if not isinstance(fig, dict):
            problems.append(Problem(where, f"figures[{i}]", "must be an object", "give task, measure, value"))
            continue
        _check(fig, _FIGURE, _FIGURE_OPTIONAL, where, f"figures[{i}].", problems)
    if problems:
        raise InvalidData(problems)
    return data


def _check(obj: dict, required: dict, optional: dict, where: str, prefix: str, problems: list[Problem]) -> None:
    for key, kind in required.items():
        if key not in obj:
            problems.append(Problem(where, prefix + key, "is missing", f"give {prefix + key}"))
    for key, value in obj.items():
        kind = required.get(key) or optional.get(key)
        if kind is None:
            problems.append(Problem(where, prefix + key, "unknown key",
                                    f"allowed: {', '.join(list(required) + list(optional))}"))
        elif isinstance(value, bool) or not isinstance(value, kind):
            problems.append(Problem(where, prefix + key, f"has the wrong type ({type(value).__name__})",
                                    "see corpus/release/agreement.py for the shape"))
