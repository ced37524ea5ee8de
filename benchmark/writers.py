"""Leaderboard files: one writer per format, dispatched through a table.

Every file says what the scores are on (release, config, split, dataset version and the content hash of the
split scored, which the release's manifest and card list too), the scorer version and the date; every row
names the system and its version.  Scores are percentages with one decimal in every file but the JSON,
which keeps the fractions.
"""
from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections.abc import Callable
from pathlib import Path

from aqwal.benchmark.units import interval, percent
from aqwal.corpus.jsonl import atomic_path


def provenance(board: dict) -> str:
    """One line: what was scored (release, config, split, version, content hash), by what, how."""
    m = board["meta"]
    d = m["dataset"]
    return (f"gold {d['path']}" + (f" config {d['config']}" if d.get("config") else "")
            + (f" split {d['split']}" if d["split"] else "")
            + f", dataset version {d['version'] or 'unknown'}, content sha256 {d['content_hash']}, "
            f"{d['documents']:,} documents; scorer {m['scorer_version']}; {m['date']}; "
            f"{m['resamples']:,} bootstrap resamples (seed {m['seed']}), {m['level']:.0%} intervals, ties: "
            f"{m['test']} at α = {m['alpha']}; scores in %")


def markdown(board: dict) -> str:
    out = ["# Aqwal leaderboard", "", provenance(board), ""]
    for block in board["tasks"].values():
        out += [f"## {block['label']}", "", "| rank | system | version | score % | 95% interval | tied with |",
                "|---:|---|---|---:|---|---|"]
        for r in block["rows"]:
            out.append(f"| {r['rank']} | {r['system']} | {r['version'] or ''} | {percent(r['score'])} | "
                       f"{interval(r['interval'])} | {', '.join(r['tied_with'])} |")
        out.append("")
    return "\n".join(out)


def as_json(board: dict) -> str:
    return json.dumps(board, ensure_ascii=False, indent=2) + "\n"


CSV_FIELDS = ["task", "metric", "rank", "system", "version", "score_pct", "ci_low_pct", "ci_high_pct",
              "tied_with", "dataset_config", "dataset_split", "dataset_version", "dataset_content_hash",
              "scorer_version", "date", "submission"]


def as_csv(board: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    m = board["meta"]
    d = m["dataset"]
    for task, block in board["tasks"].items():
        for r in block["rows"]:
            lo, hi = r["interval"]
            writer.writerow([task, block["metric"], r["rank"], r["system"], r["version"] or "",
                             percent(r["score"], ""), percent(lo, ""), percent(hi, ""), "; ".join(r["tied_with"]),
                             d.get("config") or "", d["split"] or "", d["version"] or "", d["content_hash"],
                             m["scorer_version"], r["date"], r["submission"]])
    return buf.getvalue()


_CSS = """body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin-bottom:2em}th,td{border:1px solid #bbb;padding:.3em .7em}
th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.tie td{background:#fff8e0}p.meta{color:#555;font-size:.9em}img{max-width:100%}"""


def as_html(board: dict, png: bytes | None = None) -> str:
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>Aqwal leaderboard</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Aqwal leaderboard</h1>", f'<p class="meta">{e(provenance(board))}</p>']
    for task, block in board["tasks"].items():
        parts += [f"<h2>{e(block['label'])}</h2>", f'<table id="board-{e(task)}" data-task="{e(task)}">',
                  ("<thead><tr><th>rank</th><th>system</th><th>version</th><th>score %</th><th>95% interval</th>"
                   "<th>tied with</th></tr></thead><tbody>")]
        for r in block["rows"]:
            cls = ' class="tie"' if r["tied_with"] else ""
            parts.append(f"<tr{cls}><td class=\"num\">{r['rank']}</td><td>{e(r['system'])}</td>"
                         f"<td>{e(r['version'] or '')}</td><td class=\"num\">{percent(r['score'])}</td>"
                         f"<td class=\"num\">{interval(r['interval'])}</td><td>{e(', '.join(r['tied_with']))}</td>"
                         "</tr>")
        parts.append("</tbody></table>")
    if png:
        parts.append('<img alt="scores with 95% intervals" src="data:image/png;base64,'
                     + base64.b64encode(png).decode("ascii") + '">')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def plot_png(board: dict) -> bytes:
    """Scores with their intervals, one panel per task (matplotlib, Agg backend, no fonts downloaded)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    blocks = list(board["tasks"].values())
    height = max(2.5, sum(0.45 * len(b["rows"]) + 1.2 for b in blocks))
    fig, axes = plt.subplots(len(blocks), 1, figsize=(8, height), squeeze=False)
    for ax, block in zip(axes[:, 0], blocks):
        rows = block["rows"][::-1]
        ys = range(len(rows))
        scores = [100 * r["score"] for r in rows]
        lo = [100 * max(0.0, r["score"] - r["interval"][0]) if r["interval"][0] is not None else 0 for r in rows]
        hi = [100 * max(0.0, r["interval"][1] - r["score"]) if r["interval"][1] is not None else 0 for r in rows]
        ax.errorbar(scores, list(ys), xerr=[lo, hi], fmt="o", capsize=4, color="#1f4e79")
        ax.set_yticks(list(ys), [f"{r['rank']}. {r['system']} {r['version'] or ''}".strip() for r in rows])
        ax.set_xlabel(f"{block['label']} (%) with {board['meta']['level']:.0%} interval")
        ax.set_xlim(-2, 102)  # percentages on one scale, whatever the values; 0 and 100 stay visible
        ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


WRITERS: dict[str, Callable[[dict, bytes], str | bytes]] = {
    "leaderboard.md": lambda board, png: markdown(board),
    "leaderboard.json": lambda board, png: as_json(board),
    "leaderboard.csv": lambda board, png: as_csv(board),
    "leaderboard.html": as_html,
    "leaderboard.png": lambda board, png: png,
}


def write_all(board: dict, out_dir: str | Path) -> list[Path]:
    out_dir = Path(out_dir)
    png = plot_png(board)
    written = []
    for name, writer in WRITERS.items():
        content = writer(board, png)
        data = content.encode("utf-8") if isinstance(content, str) else content
        with atomic_path(out_dir / name) as tmp:
            tmp.write_bytes(data)
        written.append(out_dir / name)
    return written
