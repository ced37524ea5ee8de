"""Writes documents.jsonl of batch 003: per outlet (aawsat, alriyadh, okaz, alwatan) the 10 shortest
SaudiNewsNet documents of the pool (sorted by len(text), then id), skipping those in SKIP (read and found to be
a list of quotations or opinion, not news), each with its targets from annotation/targets.tsv (TARGETS).
Fixed rule, no randomness: re-running writes the same file."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
from aqwal.annotation.worksheet import pool_records, shortest_per_outlet, write_batch_documents  # noqa: E402

OUTLETS = ("aawsat", "alriyadh", "okaz", "alwatan")
PER_OUTLET = 10
SKIP = {  # document id -> why it is not taken
    "saudinewsnet-2015-07-21-570": "a list of one-line quotations of the day (قالوا), not an article",
    "saudinewsnet-2015-08-01-16196": "an editorial (تجار الدم), not news",
    "saudinewsnet-2015-07-22-4829": "an opinion column (دراما سياسية), not news",
    "saudinewsnet-2015-08-10-28714": "a digest of a think-tank opinion article, not news",
    "saudinewsnet-2015-07-26-10920": "an opinion column (أين مجلس الأمن؟!), not news",
}
TARGETS: dict[str, list[str]] = {  # document id -> target ids (annotation/targets.tsv, T200-T299)
    "saudinewsnet-2015-07-23-5720": ["T200", "T201"], "saudinewsnet-2015-07-22-3961": ["T202"],
    "saudinewsnet-2015-08-10-29035": ["T203"], "saudinewsnet-2015-08-06-23330": ["T204"],
    "saudinewsnet-2015-08-07-24903": ["T205", "T206"], "saudinewsnet-2015-07-23-6176": ["T201", "T207"],
    "saudinewsnet-2015-08-10-28494": ["T208"], "saudinewsnet-2015-08-01-15764": ["T201", "T209"],
    "saudinewsnet-2015-08-06-21795": ["T201"], "saudinewsnet-2015-08-06-22069": ["T210"],
    "saudinewsnet-2015-07-24-8324": ["T208"], "saudinewsnet-2015-07-24-8325": ["T201"],
    "saudinewsnet-2015-08-09-27500": ["T213"], "saudinewsnet-2015-08-06-22512": ["T214"],
    "saudinewsnet-2015-07-24-7954": ["T215"], "saudinewsnet-2015-07-31-14111": ["T211"], "saudinewsnet-2015-07-27-12299": ["T219"],
    "saudinewsnet-2015-08-07-24634": ["T220"], "saudinewsnet-2015-07-31-14127": ["T221", "T201"],
    "saudinewsnet-2015-08-06-22306": ["T219"], "saudinewsnet-2015-07-21-1429": ["T224"],
    "saudinewsnet-2015-08-06-20571": ["T220", "T221"], "saudinewsnet-2015-07-23-5047": ["T222"], "saudinewsnet-2015-08-10-28702": ["T223"],
    "saudinewsnet-2015-08-07-23690": ["T218"], "saudinewsnet-2015-07-25-9846": ["T204"], "saudinewsnet-2015-08-10-28708": ["T219"],
    "saudinewsnet-2015-08-11-29495": ["T217"], "saudinewsnet-2015-07-21-59": ["T201"], "saudinewsnet-2015-08-06-23180": ["T207"], "saudinewsnet-2015-07-21-612": ["T216", "T201"], "saudinewsnet-2015-07-25-9761": ["T201", "T212"],
}

pool = pool_records()
print(write_batch_documents(HERE, shortest_per_outlet(pool, OUTLETS, PER_OUTLET, SKIP), TARGETS, pool),
      "documents")
