"""Which documents each config of the release holds, decided by each document's licence.

- ``cc-by``: text whose licence allows redistribution and commercial use (the Wikinews core).
- ``non-commercial``: every redistributable text: ``cc-by`` plus SaudiNewsNet (CC BY-NC-SA 4.0).
- ``all``: adds text without a redistribution grant (the seed article); only with ``--include-restricted``,
  for private builds.
- ``tokens``: the token view (tokens, offsets, BIO tags) of the widest documents config built.

``DEFAULT_CONFIG`` is the one place that decides which config a release marks as its default (the card's
``default: true``, so ``datasets.load_dataset(path)`` reads it) and which config every command reads when
given no ``--config``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aqwal.corpus.licenses import LICENCES, Licence
from aqwal.corpus.model import Document


@dataclass(frozen=True, slots=True)
class DocConfig:
    name: str
    description: str
    admits: Callable[[Licence], bool]
    restricted: bool = False  # built only when asked for


DOC_CONFIGS: tuple[DocConfig, ...] = (
    DocConfig("cc-by", "documents whose licence allows redistribution and commercial use (Wikinews, CC BY 2.5)",
              lambda lic: lic.redistributable and lic.commercial),
    DocConfig("non-commercial", "every redistributable document: cc-by plus SaudiNewsNet (CC BY-NC-SA 4.0); "
              "non-commercial research use", lambda lic: lic.redistributable),
    DocConfig("all", "every document, including text without a redistribution grant; a private build, "
              "never to be published", lambda lic: True, restricted=True),
)
TOKENS = "tokens"
SPLITS: tuple[str, ...] = ("train", "validation", "test")
DEFAULT_CONFIG = "non-commercial"  # the benchmark config; `cc-by` is its subset for commercial use


def default_config(built: Iterable[str]) -> str | None:
    """The default among the documents configs ``built``: ``DEFAULT_CONFIG`` when it was built, else the first
    documents config built (None when there is none)."""
    built = set(built)
    if DEFAULT_CONFIG in built:
        return DEFAULT_CONFIG
    return next((c.name for c in DOC_CONFIGS if c.name in built), None)


def doc_configs(include_restricted: bool) -> tuple[DocConfig, ...]:
    return tuple(c for c in DOC_CONFIGS if include_restricted or not c.restricted)


def select(docs: list[Document], config: DocConfig) -> list[Document]:
    return [d for d in docs if config.admits(LICENCES[d.license])]


def licences_of(docs: list[Document]) -> list[str]:
    """The licence ids present, most restrictive last (sorted by the order of aqwal.corpus.licenses)."""
    order = list(LICENCES)
    return sorted({d.license for d in docs}, key=order.index)
