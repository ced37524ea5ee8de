"""Reading a built release back: Parquet rows → Documents, and a release as one side of a diff.

Reads Parquet with ``pyarrow`` directly (no ``datasets`` import); ClassLabel columns come back as
indices and are mapped to the scheme's names by ``rows.row_document``.
"""
from __future__ import annotations

from pathlib import Path

from aqwal.corpus.errors import ConfigError, FormatError, InvalidData
from aqwal.corpus.jsonl import read_documents, read_json
from aqwal.corpus.model import Document
from aqwal.corpus.release.configs import DOC_CONFIGS, SPLITS, TOKENS, default_config
from aqwal.corpus.release.diff import Side
from aqwal.corpus.release.manifest import MANIFEST
from aqwal.corpus.release.rows import row_document


def split_files(release_dir: str | Path, config: str, split: str) -> list[Path]:
    return sorted((Path(release_dir) / "data" / config).glob(f"{split}-*.parquet"))


def documents_from_split(release_dir: str | Path, config: str, split: str) -> list[Document]:
    """The documents of one split of one documents config, in the release's row order.

    A split with no file (a split the build left empty) gives an empty list; an unknown config is an error.
    """
    import pyarrow.parquet as pq

    release_dir = Path(release_dir)
    if config == TOKENS:
        raise ConfigError(f"{release_dir}: config {TOKENS!r} is the token view, not documents (fix: read a "
                          "documents config such as cc-by or non-commercial)")
    if not (release_dir / "data" / config).is_dir():
        raise FormatError(f"{release_dir}: no config {config!r} (fix: use one of "
                          f"{', '.join(sorted(p.name for p in (release_dir / 'data').glob('*')))})")
    docs: list[Document] = []
    for path in split_files(release_dir, config, split):
        for n, row in enumerate(pq.read_table(path).to_pylist()):
            try:
                docs.append(row_document(row))
            except InvalidData as err:
                raise err.located(f"{path} row {n}") from None
    return docs


def read_manifest(release_dir: str | Path) -> dict:
    return read_json(Path(release_dir) / MANIFEST, fix="give a directory made by `aqwal dataset build`, or "
                     "rebuild it")


def document_configs(manifest: dict) -> list[str]:
    """The documents configs a release holds (not the token view), in the order of ``DOC_CONFIGS``."""
    return [c.name for c in DOC_CONFIGS if c.name in manifest.get("configs", {})]


def release_config(release_dir: str | Path, config: str | None = None) -> str:
    """The documents config to read: ``config`` when given (checked), else the release's default config (the
    one its card marks ``default: true``, so that ``load_dataset(path)`` reads the same documents)."""
    manifest = read_manifest(release_dir)
    built = document_configs(manifest)
    if config is None:
        chosen = manifest.get("default_config") or default_config(built)
        if chosen is None:
            raise FormatError(f"{release_dir}: the manifest lists no documents config (fix: rebuild the release)")
        return chosen
    if config == TOKENS:
        raise ConfigError(f"--config {TOKENS} is the token view of {release_dir} (tokens and BIO tags, no "
                          f"quotations or stance), not a documents config (fix: use --config "
                          f"{' or --config '.join(built)})")
    if config not in built:
        raise ConfigError(f"{release_dir}: no config {config!r} (fix: use one of {', '.join(built)})")
    return config


def split_ids(release_dir: str | Path) -> dict[tuple[str, str], frozenset[str]]:
    """``{(config, split): document ids}`` for every documents config and split of a release (the id column
    only is read)."""
    import pyarrow.parquet as pq

    out = {}
    for config in document_configs(read_manifest(release_dir)):
        for split in SPLITS:
            files = split_files(release_dir, config, split)
            if files:
                out[config, split] = frozenset(i for f in files for i in pq.read_table(f, columns=["id"])
                                               .column("id").to_pylist())
    return out


def widest_config(manifest: dict) -> str:
    built = [c.name for c in DOC_CONFIGS if c.name in manifest["configs"]]
    if not built:
        raise FormatError("the manifest lists no documents config (fix: rebuild the release)")
    return built[-1]


def release_side(release_dir: str | Path) -> Side:
    """All documents of a release (its widest documents config) with their splits and version."""
    manifest = read_manifest(release_dir)
    config = widest_config(manifest)
    docs = {d.id: d for split in SPLITS for d in documents_from_split(release_dir, config, split)}
    return Side(docs, dict(manifest["splits"]), manifest["version"], manifest["scheme_version"])


def side_of(path: str | Path) -> Side:
    """A release directory, or a gold documents JSONL file (no splits, no version)."""
    path = Path(path)
    if path.is_dir():
        return release_side(path)
    return Side({d.id: d for d in read_documents(path)})
