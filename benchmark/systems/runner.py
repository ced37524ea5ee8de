"""Running a system on a split: gold documents in, views to the system, checked predictions out.

The runner reads the gold, gives the system only ``DocumentView``s, checks every record it returns, and
writes the predictions JSONL (one line per document, in gold order) and a sidecar ``PRED.meta.json`` with
the system's name and version, the mode, the split, and the hashes of the gold and training data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmark.systems import store
from benchmark.systems.protocol import DocumentView, Mode, check_record, training_hash, view
from corpus.errors import ConfigError
from corpus.jsonl import atomic_path, read_documents, write_json_lines
from corpus.model import Document

META_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class GoldSplit:
    path: Path
    split: str
    documents: list[Document]
    sha256: str  # of the gold file, as read


def meta_path(pred_path: str | Path) -> Path:
    """``PRED.jsonl`` → ``PRED.meta.json`` (the sidecar holding the system's name and version)."""
    pred_path = Path(pred_path)
    stem = pred_path.name.removesuffix(".gz").removesuffix(".jsonl")
    return pred_path.with_name(stem + META_SUFFIX)


def resolve_gold(gold: str | Path, split: str) -> Path:
    """``--gold`` is the documents file of the split, or a folder holding ``<split>.jsonl``."""
    gold = Path(gold)
    if gold.is_dir():
        path = gold / f"{split}.jsonl"
        if not path.is_file():
            have = sorted(p.name for p in gold.glob("*.jsonl"))
            raise ConfigError(f"{gold}: no {split}.jsonl here (has: {', '.join(have) or 'no .jsonl files'}) "
                              "(fix: choose --split or give the split's file)")
        return path
    return gold


def read_gold(gold: str | Path, split: str) -> GoldSplit:
    path = resolve_gold(gold, split)
    digest = file_sha256(path) if path.is_file() else ""
    return GoldSplit(path, split, read_documents(path), digest)


def default_train(gold: str | Path) -> Path | None:
    path = Path(gold) / "train.jsonl"
    return path if Path(gold).is_dir() and path.is_file() else None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def prepare(system, train: str | Path | None, model: str | Path | None) -> dict | None:
    """Fit or load a trainable system; the training record for the metadata (None if not trainable).

    ``--model DIR`` that holds a model is loaded; with ``--train`` as well, the model must have been
    trained on exactly that data (same hash).  ``--model DIR`` without a model is trained and saved there.
    """
    if not hasattr(system, "fit"):
        if train or model:
            raise ConfigError(f"{system.name} is not trained: drop --train/--model")
        return None
    docs = read_documents(train) if train else None
    digest = training_hash(docs) if docs is not None else None
    has_model = model is not None and (Path(model) / store.META).is_file()
    if has_model:
        saved = store.read_meta(model).get("train_sha256", "")
        if digest is not None and digest != saved:  # checked before the model is unpickled
            raise ConfigError(f"{model}: the saved model was trained on other data (sha256 "
                              f"{saved[:12]}…) than {train} ({digest[:12]}…) (fix: retrain with "
                              f"`aqwal systems train {system.name} --train {train} --model {model}`, or give "
                              "another --model)")
        system.load(str(model))
    elif docs is not None:
        print(f"training {system.name}@{system.version} on {len(docs):,} documents of {train}...", file=sys.stderr)
        system.fit(docs)
        if model is not None:
            system.save(str(model))
    else:
        raise ConfigError(f"{system.name} is trained: give --train TRAIN.jsonl (the train split) or --model DIR")
    return {"path": str(train) if train else None, "model": str(model) if model else None,
            "sha256": system.train_sha256}


def predictions(system, views: list[DocumentView], progress: bool = True) -> Iterator[dict]:
    """Checked prediction records, in the order of ``views``."""
    from tqdm import tqdm

    bar = tqdm(total=len(views), desc=f"{system.name}@{system.version}", unit="doc", disable=not progress,
               leave=False)
    try:
        if hasattr(system, "predict_many"):
            got: dict[str, dict] = {}
            for rec in system.predict_many(views):
                got[rec["id"]] = rec
                bar.update()
            yield from (got[v.id] for v in views)
        else:
            for v in views:
                rec = system.predict(v)
                check_record(v, rec, f"system {system.name}@{system.version} on document {v.id!r}")
                bar.update()
                yield rec
    finally:
        bar.close()


def run(system, gold: GoldSplit, out: str | Path, *, mode: Mode = Mode.FULL, training: dict | None = None,
        progress: bool = True, extra: dict | None = None) -> dict:
    """Run ``system`` on ``gold``, write ``out`` and its metadata sidecar; returns the metadata."""
    views = [view(doc, mode) for doc in gold.documents]
    n = write_json_lines(out, predictions(system, views, progress))
    meta = {"system": {"name": system.name, "version": system.version}, "mode": str(mode),
            "split": gold.split, "gold": {"path": str(gold.path), "sha256": gold.sha256,
                                          "documents": len(gold.documents)},
            "train": training, "predictions": n,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **(extra or {})}
    with atomic_path(meta_path(out)) as tmp:
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta
