"""Ingestion throughput and memory: ingest + de-duplicate SaudiNewsNet's 31,030 raw articles.

Runs the real pipeline (aqwal.corpus.ingest.pipeline.ingest, source "saudinewsnet") on the first 1/4, 1/2 and all
of the records, each in a fresh process so that its peak resident memory is its own, and prints records per
second and peak memory; the curve goes to a text chart and a PNG.  Not a test: it asserts nothing.

    python perf/bench_ingest.py                      # figures + out/perf/bench_ingest.png
    python perf/bench_ingest.py --fractions 0.1 1    # other points
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TOTAL = 31_030


def worker(limit: int) -> dict:
    from aqwal.corpus.ingest.pipeline import ingest
    from aqwal.corpus.paths import shared_data

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = ingest(shared_data(), Path(out), sources=["saudinewsnet"], limit=limit)
        seconds = time.perf_counter() - start
    counts = result.report.to_dict()["counts"]["saudinewsnet"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"records": counts["read"], "documents": counts["ingested"], "seconds": round(seconds, 2),
            "records_per_second": round(counts["read"] / seconds, 1),
            "peak_rss_mb": round(peak / 1024, 1), "rss_after_imports_mb": round(base / 1024, 1),
            "duplicates": counts["exact_duplicates"] + counts["near_duplicates"], "skipped": counts["skipped"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--png", type=Path, default=ROOT / "out" / "perf" / "bench_ingest.png")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker)))
        return 0
    rows = []
    for fraction in args.fractions:
        limit = round(TOTAL * fraction)
        proc = subprocess.run([sys.executable, __file__, "--worker", str(limit)], capture_output=True, text=True,
                              check=True)
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{fraction:>5.2f} of input: {row['records']:>6,} records -> {row['documents']:>6,} documents "
              f"({row['duplicates']:,} duplicates, {row['skipped']:,} skipped) in {row['seconds']:7.1f} s = "
              f"{row['records_per_second']:6.0f} records/s; peak RSS {row['peak_rss_mb']:6.1f} MB "
              f"(after imports {row['rss_after_imports_mb']:.1f} MB)", flush=True)
    top = max(r["peak_rss_mb"] for r in rows)
    print("\npeak RSS by records read")
    for r in rows:
        print(f"{r['records']:>7,} |{'#' * round(50 * r['peak_rss_mb'] / top):<50}| {r['peak_rss_mb']:.0f} MB")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        slope = (b["peak_rss_mb"] - a["peak_rss_mb"]) * 1024 / max(b["documents"] - a["documents"], 1)
        print(f"\ngrowth between {a['records']:,} and {b['records']:,} records: {slope:.1f} KB per kept document "
              "(the de-duplication index: sha256, MinHash signature, LSH band keys; texts are not kept)")
    _plot(rows, args.png)
    print(f"\ncurve -> {args.png}")
    return 0


def _plot(rows: list[dict], png: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    png.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3), dpi=100)
    x = [r["records"] for r in rows]
    ax.plot(x, [r["peak_rss_mb"] for r in rows], "o-", label="peak RSS (MB)")
    ax.plot(x, [r["rss_after_imports_mb"] for r in rows], "s--", label="RSS after imports (MB)")
    ax.set_xlabel("SaudiNewsNet records ingested")
    ax.set_ylim(bottom=0)
    ax2 = ax.twinx()
    ax2.plot(x, [r["records_per_second"] for r in rows], "^:", color="tab:green", label="records/s")
    ax2.set_ylim(bottom=0)
    ax2.set_ylabel("records/s")
    ax.legend(loc="lower left", fontsize=7)
    ax2.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    fig.savefig(png)
    plt.close(fig)


if __name__ == "__main__":
    raise SystemExit(main())
