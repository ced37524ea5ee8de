"""Build a release directory from the gold documents (Hub layout, card, manifest, changelog).

Everything is written into a temporary directory beside ``out`` and moved into place only when complete:
a failed build leaves nothing behind.  Nothing in the output depends on the time, the machine or the
order of the input: rows are sorted by document id and splits come from ``splits.assign``.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aqwal.corpus.annotators import load_registry
from aqwal.corpus.errors import ConfigError, FormatError
from aqwal.corpus.jsonl import check_input_file, content_hash, read_documents
from aqwal.corpus.licenses import LICENCES
from aqwal.corpus.model import Document
from aqwal.corpus.release import card as card_mod
from aqwal.corpus.release.agreement import load_agreement
from aqwal.corpus.release.configs import SPLITS, TOKENS, default_config, doc_configs, licences_of, select
from aqwal.corpus.release.diff import Side, changelog_markdown, diff
from aqwal.corpus.release.load import release_side
from aqwal.corpus.release.manifest import MANIFEST, bumped, check_step, file_hashes, parse_version
from aqwal.corpus.release.rows import document_row
from aqwal.corpus.release.splits import assign
from aqwal.corpus.release.stats import provenance, provenance_key, statistics
from aqwal.corpus.release.tokenview import conll_lines, misaligned_counts, token_row
from aqwal.corpus.schema import SCHEME_VERSION

FIRST_VERSION = "0.1.0"
CHANGELOG = "CHANGELOG.md"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    gold: Path
    out: Path
    version: str | None = None
    include_restricted: bool = False
    previous: Path | None = None
    agreement: Path | None = None
    annotators: Path | None = None  # the annotator registry, whose descriptions the card prints
    limitations: Path | None = None  # Markdown bullets the card adds to its limitations (known weaknesses)
    overwrite: bool = False
    progress: bool = False
    chunk: int = 500  # documents converted to Arrow at a time (does not change the bytes)


def _read_text(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read ({type(err).__name__}) (fix: give a UTF-8 Markdown file of "
                          "'- ' lines)") from None


def parquet_name(config: str, split: str) -> str:
    return f"data/{config}/{split}-00000-of-00001.parquet"


def build(opts: BuildOptions) -> dict:
    """Build the release; returns the manifest (also written to ``out/manifest.json``)."""
    out = Path(opts.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not opts.overwrite:
        raise ConfigError(f"{out} exists and is not empty (fix: choose a new --out or pass --overwrite)")
    check_input_file(opts.gold, what="gold file", if_empty="give the gold documents, one JSON object per line")
    docs = read_documents(opts.gold)  # InvalidData listing every problem of the gold
    if not docs:
        raise FormatError(f"{opts.gold}: holds no documents, only blank lines (fix: give the gold documents, "
                          "one JSON object per line)")
    agreement = load_agreement(opts.agreement) if opts.agreement else None
    previous = release_side(opts.previous) if opts.previous else None
    prev_changelog = (Path(opts.previous) / CHANGELOG).read_text(encoding="utf-8") \
        if opts.previous and (Path(opts.previous) / CHANGELOG).is_file() else ""

    released = [d for d in docs if opts.include_restricted or LICENCES[d.license].redistributable]
    excluded = len(docs) - len(released)
    splits = assign(released, previous.splits if previous else None)
    new_side = Side({d.id: d for d in released}, splits, None, SCHEME_VERSION)
    change = diff(previous, new_side) if previous else None
    version = _version(opts.version, previous, change)
    if change is not None:
        change["new_version"] = version

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    os.chmod(tmp, 0o755)
    try:
        manifest = _write(tmp, released, splits, version, excluded, agreement, change, prev_changelog, opts)
        _move_into_place(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return manifest


def _version(given: str | None, previous: Side | None, change: dict | None) -> str:
    if previous is None:
        version = given or FIRST_VERSION
        parse_version(version)  # ConfigError when it is not X.Y.Z
        return version
    step = change["bump"] if change else "patch"
    if given is None:
        return bumped(previous.version, step)
    check_step(previous.version, given, step)
    return given


def _by_split(docs: list[Document], splits: dict[str, str]) -> dict[str, list[Document]]:
    out: dict[str, list[Document]] = {s: [] for s in SPLITS}
    for d in sorted(docs, key=lambda d: d.id):
        out[splits[d.id]].append(d)
    return out


def _write(root: Path, released: list[Document], splits: dict[str, str], version: str, excluded: int,
           agreement: dict | None, change: dict | None, prev_changelog: str, opts: BuildOptions) -> dict:
    import datasets
    import pyarrow.parquet as pq
    from datasets import Dataset, DatasetInfo, concatenate_datasets
    from datasets.splits import SplitDict, SplitInfo

    from aqwal.corpus.release.features import document_features, token_features

    datasets.disable_progress_bars()
    infos: dict[str, DatasetInfo] = {}
    data_files: dict[str, dict[str, str]] = {}
    counts: dict[str, dict[str, dict]] = {}
    card_configs: list[dict] = []

    def write_config(name: str, parts: dict[str, list[Document]], to_row, features, on_rows=None) -> None:
        """One config, split by split; rows are made and converted CHUNK documents at a time so that
        memory holds Arrow data, not Python rows (concatenation gives the same Parquet bytes)."""
        info = DatasetInfo(config_name=name, features=features, splits=SplitDict(), download_size=0, dataset_size=0)
        data_files[name] = {}
        for split in SPLITS:
            docs = parts[split]
            if not docs:
                continue  # an empty split has no file and is not declared
            chunks = []
            for i in range(0, len(docs), opts.chunk):
                rows = [to_row(d) for d in docs[i:i + opts.chunk]]
                if on_rows:
                    on_rows(split, rows)
                chunks.append(Dataset.from_list(rows, features=features))
                del rows
                if progress is not None:
                    progress.update(min(opts.chunk, len(docs) - i))
            ds = chunks[0] if len(chunks) == 1 else concatenate_datasets(chunks)
            path = root / parquet_name(name, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            ds.to_parquet(str(path))
            # the in-memory size of the split as read back from its file: independent of how it was built
            nbytes = pq.read_table(path).nbytes
            info.splits.add(SplitInfo(name=split, num_bytes=nbytes, num_examples=len(ds)))
            info.download_size += path.stat().st_size
            info.dataset_size += nbytes
            data_files[name][split] = f"data/{name}/{split}-*"
            del ds, chunks
        info.size_in_bytes = info.download_size + info.dataset_size
        infos[name] = info

    configs = [(c, select(released, c)) for c in doc_configs(opts.include_restricted)]
    configs = [(c, docs) for c, docs in configs if docs]
    progress = _progress(sum(len(docs) for _, docs in configs) + (len(configs[-1][1]) if configs else 0),
                         opts.progress)
    widest: list[Document] = []
    for config, docs in configs:
        widest = docs
        parts = _by_split(docs, splits)
        write_config(config.name, parts, document_row, document_features())
        stats = {s: statistics(parts[s]) for s in SPLITS if parts[s]}
        counts[config.name] = stats
        card_configs.append({"name": config.name, "description": config.description,
                             "licences": licences_of(docs), "stats": stats, "content_hash": content_hash(docs),
                             "split_hashes": {s: content_hash(parts[s]) for s in SPLITS if parts[s]}})

    tokens_card = None
    if widest:
        conll = root / "conll"
        conll.mkdir()
        token_counts = {s: {"documents": 0, "tokens": 0, "misaligned": 0} for s in SPLITS}
        mis: Counter[str] = Counter()

        def on_token_rows(split: str, rows: list[dict]) -> None:
            with open(conll / f"{split}.conll", "a", encoding="utf-8", newline="\n") as handle:
                for line in conll_lines(rows):
                    handle.write(line + "\n")
            c = token_counts[split]
            c["documents"] += len(rows)
            c["tokens"] += sum(len(r["tokens"]) for r in rows)
            c["misaligned"] += sum(len(r["misaligned"]) for r in rows)
            mis.update(misaligned_counts(rows))

        write_config(TOKENS, _by_split(widest, splits), token_row, token_features(), on_token_rows)
        counts[TOKENS] = {s: c for s, c in token_counts.items() if c["documents"]}
        tokens_card = {"config": card_configs[-1]["name"], "misaligned": dict(sorted(mis.items())),
                       "entities": sum(len(d.entities) for d in widest),
                       "stats": {s: {"documents": c["documents"]} for s, c in counts[TOKENS].items()}}
    if progress is not None:
        progress.close()

    chash = content_hash(released)
    changelog = _changelog(change, version, len(released), prev_changelog)
    (root / CHANGELOG).write_text(changelog, encoding="utf-8")
    default = default_config(c["name"] for c in card_configs)
    prov = provenance(released)
    yaml = card_mod.front_matter(infos=infos, data_files=data_files, default=default,
                                 licences=licences_of(widest), n_documents=len(widest),
                                 producers={provenance_key(d)[0] for d in released})
    text = card_mod.body(version=version, content_hash=chash, default=default, configs=card_configs,
                         tokens=tokens_card, provenance=prov, agreement=agreement, excluded=excluded,
                         include_restricted=opts.include_restricted, sources=_sources(released),
                         registry=load_registry(opts.annotators) if opts.annotators else {},
                         limitations=_read_text(opts.limitations))
    (root / "README.md").write_text(f"---\n{yaml}\n---\n\n{text}", encoding="utf-8")

    manifest = {
        "name": "aqwal", "version": version, "scheme_version": SCHEME_VERSION,
        "content_hash": chash,
        "content_hash_per_config": {c["name"]: c["content_hash"] for c in card_configs},
        "content_hash_per_split": {c["name"]: c["split_hashes"] for c in card_configs},
        "previous_version": change["old_version"] if change else None,
        "include_restricted": opts.include_restricted, "excluded_documents": excluded,
        "configs": {name: {"splits": counts[name]} for name in infos},
        "default_config": default,
        "provenance": prov,
        "libraries": _libraries(),
        "splits": splits,
        "files": file_hashes(root),
    }
    (root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def _sources(docs: list[Document]) -> list[dict]:
    out = []
    for source in sorted({d.source for d in docs}):
        mine = [d for d in docs if d.source == source]
        out.append({"source": source, "documents": len(mine), "licences": licences_of(mine),
                    "outlets": sorted({d.outlet for d in mine if d.outlet})})
    return out


def _changelog(change: dict | None, version: str, n: int, prev: str) -> str:
    head = "# Changelog\n\n"
    if change is None:
        return f"{head}## v{version}\n\nFirst release: {n:,} documents.\n"
    section = changelog_markdown(change)
    older = prev.removeprefix(head)
    return f"{head}{section}\n{older}".rstrip() + "\n"


def _libraries() -> dict[str, str]:
    """The versions that decide the Parquet bytes (a change of these changes file hashes, not content)."""
    from importlib.metadata import version
    return {name: version(name) for name in ("datasets", "pyarrow")}


def _progress(total: int, enabled: bool):
    if not enabled:
        return None
    from aqwal.corpus.progress import bar
    return bar(total=total, desc="rows", unit="doc", leave=False)


def _move_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp``; the old ``out`` is removed only after the new one is in place."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
        os.rmdir(old)
        os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old)
    else:
        os.replace(tmp, out)
