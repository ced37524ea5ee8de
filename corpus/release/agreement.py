"""The agreement figures a build puts in the card (``--agreement FILE``), read strictly.

The file is what ``aqwal agreement ... --card FILE`` writes::

    {"overall": {"documents": 312, "items": {"entities": 9000, "quotations": 2100, "stance": 1800},
                 "measures": {"entity_f1_strict": {"layer": "entities", "description": "...",
                                                   "value": 0.95, "interval": [0.94, 0.96]}, ...}},
     "by_source": {"saudinewsnet": {...same shape...}, ...},
     "pairs": {"llm-annotator-a / llm-annotator-b": 290, ...},   # annotator pairs and their documents
     "resamples": 10000, "seed": 20240601, "level": 0.95, "match": "word IoU >= 0.5",
     "snapshots": ["batch-005.a.2026-12-05T08-50-18Z", ...]}
"""
from __future__ import annotations

from pathlib import Path

import msgspec

from aqwal.corpus.errors import FormatError, InvalidData, decoding_problem


class Measure(msgspec.Struct, forbid_unknown_fields=True):
    layer: str
    description: str
    value: float | None
    interval: list[float | None] | None = None


class Block(msgspec.Struct, forbid_unknown_fields=True):
    documents: int
    measures: dict[str, Measure]
    items: dict[str, int] = {}


class Agreement(msgspec.Struct, forbid_unknown_fields=True):
    overall: Block
    by_source: dict[str, Block]
    pairs: dict[str, int]
    resamples: int
    seed: int
    level: float
    match: str
    snapshots: list[str] = []


def load_agreement(path: str | Path) -> Agreement:
    path = Path(path)
    try:
        return msgspec.json.decode(path.read_bytes(), type=Agreement)
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file (fix: check the --agreement path)") from None
    except msgspec.ValidationError as err:
        raise InvalidData(decoding_problem(str(path), err, "give the file `aqwal agreement ... --card FILE` writes")) \
            from None
    except msgspec.DecodeError as err:
        raise FormatError(f"{path}: not JSON ({err}) (fix: give the file `aqwal agreement --card` writes)") \
            from None
