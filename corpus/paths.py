"""Where things are: the checkout, the bundled corpus, and ``../shared`` beside the checkout."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DATA = ROOT / "corpus" / "data"


def shared_data() -> Path:
    """The upstream data folder: ``$AQWAL_SHARED_DATA`` or ``../shared/data`` beside the checkout."""
    return Path(os.environ.get("AQWAL_SHARED_DATA", ROOT.parent / "shared" / "data"))
