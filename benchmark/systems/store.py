"""Saving and loading a trained system: the model with the hash of the data it was trained on.

A model directory holds ``model.json`` (system name and version, the training data sha256, the number of
training documents) and ``model.pkl`` (the fitted state).  Loading checks the name and version, so a model
is never used by another system or another version of the same system.  Pickles run code when loaded:
load only model directories you made.
"""
from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

from aqwal.corpus.errors import ConfigError
from aqwal.corpus.jsonl import atomic_path

META, STATE = "model.json", "model.pkl"


def save_model(directory: str | Path, name: str, version: str, train_sha256: str, n_train: int,
               state: Any) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with atomic_path(directory / STATE) as tmp:
        tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    meta = {"system": {"name": name, "version": version}, "train_sha256": train_sha256, "n_train": n_train}
    with atomic_path(directory / META) as tmp:
        tmp.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def read_meta(directory: str | Path) -> dict:
    path = Path(directory) / META
    if not path.is_file():
        raise ConfigError(f"{directory}: no {META} here (fix: train a model first with "
                          "`aqwal systems train NAME --train TRAIN.jsonl --model DIR`)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ConfigError(f"{path}: not valid JSON ({err.msg}) (fix: retrain the model)") from None


def load_model(directory: str | Path, name: str, version: str) -> tuple[dict, Any]:
    """(meta, state) of the model in ``directory``, made by system ``name`` at ``version``."""
    meta = read_meta(directory)
    made_by = meta.get("system", {})
    if (made_by.get("name"), made_by.get("version")) != (name, version):
        raise ConfigError(f"{directory}: the model was trained by {made_by.get('name')}@{made_by.get('version')},"
                          f" not {name}@{version} (fix: retrain it with this system)")
    state = pickle.loads((Path(directory) / STATE).read_bytes())
    return meta, state
