"""Writes documents.jsonl of batch 004: per outlet (aljazirah, almadina, alyaum, sabq, 3alyoum) the 8 shortest
SaudiNewsNet documents of the pool (sorted by len(text), then id), skipping those listed in SKIP (mostly a list,
or not news), with their targets from annotation/targets.tsv.  Fixed rule, no randomness: re-running writes the
same file."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
from aqwal.annotation.worksheet import pool_records, shortest_per_outlet, write_batch_documents  # noqa: E402

OUTLETS = ("aljazirah", "almadina", "alyaum", "sabq", "3alyoum")
PER_OUTLET = 8
SKIP = {  # document id -> why it is not taken
    "saudinewsnet-2015-07-26-10400": "a list of historical dates (هذا اليوم في التاريخ), not news",
    "saudinewsnet-2015-07-22-3461": "an opinion column (طريق القدس..!), not news",
}
TARGETS = {  # document id -> target ids (annotation/targets.tsv); none where no quotation could take a position
    "saudinewsnet-2015-07-27-11782": ["T302"],
    "saudinewsnet-2015-07-25-8886": ["T309"],
    "saudinewsnet-2015-08-02-16821": ["T305"],
    "saudinewsnet-2015-08-09-26767": ["T301"],
    "saudinewsnet-2015-08-03-18015": ["T304"],
    "saudinewsnet-2015-08-06-21091": ["T304"],
    "saudinewsnet-2015-07-22-3489": ["T310"],
    "saudinewsnet-2015-07-23-5503": ["T300"],
    "saudinewsnet-2015-08-08-25542": ["T311"],
    "saudinewsnet-2015-08-08-25596": ["T303"],
    "saudinewsnet-2015-07-25-9052": ["T308"],
    "saudinewsnet-2015-08-10-28857": ["T301"],
    "saudinewsnet-2015-07-25-9743": ["T307"],
    "saudinewsnet-2015-08-09-27385": ["T306"],
    "saudinewsnet-2015-08-03-18702": ["T312"],
    "saudinewsnet-2015-07-23-6129": ["T313"],
    "saudinewsnet-2015-08-06-22887": ["T314"],
    "saudinewsnet-2015-07-22-4720": ["T305"],
    "saudinewsnet-2015-07-21-2713": ["T301", "T315"],
    "saudinewsnet-2015-07-21-2699": ["T300"],
    "saudinewsnet-2015-08-04-20314": ["T302"],
    "saudinewsnet-2015-07-31-15014": ["T312"],
    "saudinewsnet-2015-07-23-6282": ["T300"],
    "saudinewsnet-2015-08-06-23425": ["T315"],
    "saudinewsnet-2015-08-01-16292": ["T301"],
    "saudinewsnet-2015-07-27-12817": ["T316"],
    "saudinewsnet-2015-08-06-20349": ["T302"],
    "saudinewsnet-2015-08-03-17705": ["T301"],
    "saudinewsnet-2015-07-26-10010": ["T304"],
    "saudinewsnet-2015-07-24-6692": ["T301"],
    "saudinewsnet-2015-07-24-6687": ["T317"],
    "saudinewsnet-2015-07-24-6702": ["T300"],
    "saudinewsnet-2015-07-25-8511": ["T302"],
    "saudinewsnet-2015-07-25-8430": ["T302"],
}

pool = pool_records()
print(write_batch_documents(HERE, shortest_per_outlet(pool, OUTLETS, PER_OUTLET, SKIP), TARGETS, pool),
      "documents")
