"""Running a system on a split: gold documents in, views to the system, checked predictions out.

The runner reads the gold, gives the system only ``DocumentView``s, checks every record it returns, and
writes the predictions JSONL: a header line naming the system (the submission format's optional first line,
so the leaderboard knows it) and one line per document, in gold order; and a sidecar ``PRED.meta.json``
recording the run: the mode, the split, and the hashes of the gold and training data.

Gold and training data are a built release (``aqwal dataset build``; the split is read from it), a folder
holding ``<split>.jsonl``, or a documents JSONL file.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aqwal.benchmark.systems import store
from aqwal.benchmark.systems.protocol import DocumentView, Mode, Trainable, check_record, training_hash, view
from aqwal.corpus.errors import ConfigError, FormatError
from aqwal.corpus.jsonl import atomic_path, check_input_file, content_hash, read_documents, write_json_lines
from aqwal.corpus.release.load import release_config
from aqwal.corpus.model import Document

META_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class GoldSplit:
    path: Path
    split: str
    documents: list[Document]
    content_hash: str  # corpus.jsonl.content_hash of the documents, as the scorer records it
    config: str | None = None  # the release's config read (None for a documents file or a folder of splits)

    def describe(self) -> str:
        return f"{self.path}" + (f" config {self.config}" if self.config else "") + f" split {self.split}"


def meta_path(pred_path: str | Path) -> Path:
    """``PRED.jsonl`` → ``PRED.meta.json`` (the sidecar holding the system's name and version)."""
    pred_path = Path(pred_path)
    stem = pred_path.name.removesuffix(".gz").removesuffix(".jsonl")
    return pred_path.with_name(stem + META_SUFFIX)


def is_release(path: str | Path) -> bool:
    return Path(path).is_dir() and (Path(path) / "manifest.json").is_file()


def resolve_gold(gold: str | Path, split: str) -> Path:
    """``--gold`` is a release, the documents file of the split, or a folder holding ``<split>.jsonl``."""
    gold = Path(gold)
    if gold.is_dir() and not is_release(gold):
        path = gold / f"{split}.jsonl"
        if not path.is_file():
            have = sorted(p.name for p in gold.glob("*.jsonl"))
            raise ConfigError(f"{gold}: no {split}.jsonl here (has: {', '.join(have) or 'no .jsonl files'}) "
                              "(fix: choose --split or give the split's file)")
        return path
    return gold


def read_gold(gold: str | Path, split: str, config: str | None = None) -> GoldSplit:
    """The documents of ``split`` (from a release, a split folder, or a documents file), fully validated, and
    their content hash: the one the scorer records for the same gold (``aqwal.benchmark.gold``).  A release
    is read in ``config``, by default its default config."""
    from aqwal.benchmark.gold import load_gold_split
    if is_release(gold):
        config = release_config(gold, config)
        path, (docs, _) = Path(gold), load_gold_split(gold, split, config)
    else:
        if config is not None:
            raise ConfigError(f"--config {config} needs a release directory, and {gold} is not one (fix: drop "
                              "--config, or give a release built by `aqwal dataset build`)")
        path = resolve_gold(gold, split)
        check_input_file(path, what="gold file")
        docs = read_documents(path)
    if not docs:
        raise FormatError(f"{path}: the gold holds no documents (fix: check the file or split)")
    return GoldSplit(path, split, docs, content_hash(docs), config)


def split_documents(path: str | Path, split: str, config: str | None = None) -> list[Document]:
    """The documents of ``split`` in a release (in ``config``), a split folder, or a documents file."""
    return read_gold(path, split, config).documents


def default_train(gold: str | Path) -> Path | None:
    """Where the train split is, when ``--gold`` holds one (a release, or a folder with train.jsonl)."""
    if is_release(gold):
        return Path(gold)
    path = Path(gold) / "train.jsonl"
    return path if Path(gold).is_dir() and path.is_file() else None


def prepare(system, train: str | Path | None, model: str | Path | None, config: str | None = None
            ) -> dict | None:
    """Fit or load a trainable system; the training record for the metadata (None if not trainable).

    ``--model DIR`` that holds a model is loaded; with ``--train`` as well, the model must have been
    trained on exactly that data (same hash).  ``--model DIR`` without a model is trained and saved there.
    A release as ``train`` is read in ``config`` (its default config when None).
    """
    if not isinstance(system, Trainable):
        if train or model:
            raise ConfigError(f"{system.name} is not trained: drop --train/--model")
        return None
    config = config if train is not None and is_release(train) else None
    docs = split_documents(train, "train", config) if train else None
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
    return training_record(system, train, model, release_config(train, config) if train is not None
                           and is_release(train) else None)


def training_record(system, train: str | Path | None, model: str | Path | None, config: str | None) -> dict:
    """What a run's metadata says of the training: the data (and the release's config), model, data hash."""
    return {"path": str(train) if train else None, **({"config": config} if config is not None else {}),
            "model": str(model) if model else None, "sha256": system.train_sha256}


def predictions(system, views: list[DocumentView], progress: bool = True) -> Iterator[dict]:
    """Checked prediction records, in the order of ``views``."""
    from aqwal.corpus.progress import bar as progress_bar

    bar = progress_bar(total=len(views), desc=f"{system.name}@{system.version}", unit="doc", enabled=progress,
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
    header = {"system": {"name": system.name, "version": system.version}}
    if mode is Mode.STANCE:
        header["system"]["tasks"] = ["stance"]
    n = write_json_lines(out, _with_header(header, predictions(system, views, progress))) - 1
    meta = {"system": {"name": system.name, "version": system.version}, "mode": str(mode),
            "config": gold.config, "split": gold.split,
            "gold": {"path": str(gold.path), "config": gold.config, "split": gold.split,
                     "content_hash": gold.content_hash, "documents": len(gold.documents)},
            "train": training, "predictions": n,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **(extra or {})}
    with atomic_path(meta_path(out)) as tmp:
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def _with_header(header: dict, records: Iterator[dict]) -> Iterator[dict]:
    yield header
    yield from records
