"""Benchmark `aqwal dataset build` from 1,000 to 10,000 documents: seconds and peak memory, and how both grow.

Text: SaudiNewsNet articles (the 8,056 candidates with quotations, then further unique articles from the
raw daily zips to reach 10,000).  The annotations are STAND-INS made here by simple rules, not a model
and not gold: entities from a small gazetteer (whole-word matches), direct quotations between quotation
marks ("…" or «…») with the nearest reporting verb before them as cue and the nearest preceding PER/ORG/GPE
mention as speaker, one target per document (its title) with a neutral stance, each document marked as
made by the system "bench-standin@0".  They exercise the same code paths as gold at a realistic density.

Each size is built in a fresh process (python -m aqwal dataset build): wall seconds include starting
Python and importing datasets; the child reports its own peak RSS.

    python perf/bench_release.py                      # 1000 2000 5000 10000
    python perf/bench_release.py --sizes 1000 10000 --keep /tmp/bench
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aqwal.corpus.jsonl import iter_json_lines, write_documents  # noqa: E402
from aqwal.corpus.model import AnnotationInfo, Document, Mention, Quote, Stance, Target, sha256_text  # noqa: E402
from aqwal.corpus.paths import shared_data  # noqa: E402
from aqwal.corpus.spans import Span  # noqa: E402

GAZETTEER = {
    "GPE": ["السعودية", "الرياض", "جدة", "مكة", "مصر", "القاهرة", "العراق", "بغداد", "سوريا", "دمشق", "اليمن",
            "صنعاء", "إيران", "طهران", "لبنان", "بيروت", "الأردن", "الكويت", "قطر", "الإمارات", "البحرين",
            "تركيا", "روسيا", "فرنسا", "بريطانيا", "لندن", "واشنطن", "الولايات المتحدة", "أفغانستان", "ليبيا"],
    "ORG": ["الأمم المتحدة", "مجلس الأمن", "جامعة الدول العربية", "حلف شمال الأطلسي", "داعش", "حزب الله",
            "الحوثيين", "مجلس التعاون", "وزارة الداخلية", "وزارة الخارجية", "وكالة الأنباء السعودية"],
    "PER": ["الملك سلمان", "أوباما", "بشار الأسد", "كاميرون", "بوتين", "أردوغان", "عبد ربه منصور هادي"],
    "NORP": ["السعوديين", "الأمريكية", "الأميركية", "الإيرانية", "العربية", "المسلمين"],
    "DATE": ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"],
}
CUES = ["قال", "وقال", "أكد", "وأكد", "أضاف", "وأضاف", "أوضح", "وأوضح", "أشار", "وأشار", "شدد", "وشدد",
        "مضيفا", "مؤكدا", "قائلا"]
_WORD = r"(?<![\w\u064b-\u065f]){}(?![\w\u064b-\u065f])"
ENTITY_RE = re.compile("|".join(f"(?P<{lab}>{'|'.join(_WORD.format(re.escape(s)) for s in sorted(names, key=len, reverse=True))})"
                                for lab, names in GAZETTEER.items()))
QUOTE_RE = re.compile(r'"([^"\n]{3,400})"|«([^»\n]{3,400})»')
CUE_RE = re.compile("|".join(_WORD.format(re.escape(c)) for c in CUES))
STANDIN = (AnnotationInfo("bench-standin@0", "system"),)


def articles():
    """SaudiNewsNet articles, candidates first, then unique raw articles; (id, record)."""
    seen: set[str] = set()
    for _, r in iter_json_lines(shared_data() / "saudinewsnet" / "candidates_with_quotes.jsonl.gz"):
        key = sha256_text(r["content"])
        if key not in seen:
            seen.add(key)
            yield r["id"], r
    for zpath in sorted((shared_data() / "saudinewsnet" / "raw").glob("*.zip")):
        with zipfile.ZipFile(zpath) as z:
            for name in sorted(z.namelist()):
                for i, r in enumerate(json.loads(z.read(name))):
                    content = r.get("content") or ""
                    key = sha256_text(content)
                    if content.strip() and key not in seen:
                        seen.add(key)
                        yield f"saudinewsnet-raw-{Path(name).stem}-{i}", r


def standin_document(doc_id: str, r: dict) -> Document:
    text = r["content"]
    entities = [Mention(f"e{i + 1}", Span(m.start(), m.end(), m.group()), m.lastgroup)
                for i, m in enumerate(ENTITY_RE.finditer(text))]
    speakers = [m for m in entities if m.label in ("PER", "ORG", "GPE")]
    quotes = []
    for m in QUOTE_RE.finditer(text):
        g = 1 if m.group(1) is not None else 2
        start, end = m.start(g), m.end(g)
        if not text[start:end].strip() or text[start].isspace() or text[end - 1].isspace():
            continue
        cues = [c for c in CUE_RE.finditer(text, max(0, start - 60), start)]
        cue = Span(cues[-1].start(), cues[-1].end(), cues[-1].group()) if cues else None
        before = [s for s in speakers if s.span.end <= start and start - s.span.end < 200]
        quotes.append(Quote(f"q{len(quotes) + 1}", Span(start, end, text[start:end]), "direct", cue,
                            before[-1].id if before else None, (Stance("t1", "neutral"),)))
    return Document.create(id=doc_id, text=text, source="saudinewsnet", outlet=r.get("source"), url=r.get("url"),
                           published=(r.get("date_extracted") or "")[:10] or None, title=r.get("title") or None,
                           author=r.get("author") or None, license="cc-by-nc-sa-4.0",
                           targets=(Target("t1", (r.get("title") or "الموضوع")[:60]),),
                           entities=tuple(entities), quotes=tuple(quotes), annotations=STANDIN)


CHILD = ("import resource, sys, time; t = time.perf_counter(); from aqwal.cli import main; "
         "rc = main(sys.argv[1:] + ['--json']); "
         "u = resource.getrusage(resource.RUSAGE_SELF); "
         "print('BENCH', time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr); "
         "sys.exit(rc)")
READ = ("import resource, sys, time; t = time.perf_counter(); from aqwal.corpus.release.load import documents_from_split; "
        "n = sum(len(documents_from_split(sys.argv[1], 'non-commercial', s)) for s in ('train','validation','test')); "
        "print('READ', n, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    ap.add_argument("--keep", type=Path, help="keep gold files and releases here (default: a temp dir)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="aqwal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    biggest = max(args.sizes)
    docs = []
    t0 = time.perf_counter()
    for doc_id, r in articles():
        docs.append(standin_document(doc_id, r))
        if len(docs) >= biggest:
            break
    print(f"prepared {len(docs):,} stand-in documents in {time.perf_counter() - t0:.1f} s "
          f"({sum(len(d.entities) for d in docs):,} entities, {sum(len(d.quotes) for d in docs):,} quotations)",
          file=sys.stderr)
    rows = []
    for n in sorted(args.sizes):
        gold = work / f"gold-{n}.jsonl"
        write_documents(gold, docs[:n])
        out = work / f"release-{n}"
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", CHILD, "dataset", "build", "--gold", str(gold), "--out", str(out),
                               "--overwrite"], cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        _, inproc, cpu, rss_kb = next(x for x in proc.stderr.splitlines() if x.startswith("BENCH")).split()
        report = json.loads(proc.stdout)
        words = sum(c["words"] for c in report["configs"]["non-commercial"]["splits"].values())
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        rd = subprocess.run([sys.executable, "-c", READ, str(out)], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
        rows.append((n, words, wall, float(inproc), float(cpu), int(rss_kb) / 1024, size / 2**20, float(rd[2]),
                     int(rd[3]) / 1024))
    print(f"{'documents':>9} {'words':>10} {'wall s':>7} {'build s':>8} {'CPU s':>6} {'peak MB':>8} {'out MB':>7} "
          f"{'read s':>7} {'read MB':>8}")
    for r in rows:
        print(f"{r[0]:>9,} {r[1]:>10,} {r[2]:>7.1f} {r[3]:>8.1f} {r[4]:>6.1f} {r[5]:>8.0f} {r[6]:>7.1f} "
              f"{r[7]:>7.1f} {r[8]:>8.0f}")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        print(f"\n{a[0]:,} → {b[0]:,} documents (×{b[0] / a[0]:.0f}): CPU time ×{b[4] / a[4]:.1f} "
              f"({(b[4] - a[4]) / (b[0] - a[0]) * 1000:.2f} s per extra 1,000 documents), peak memory "
              f"×{b[5] / a[5]:.1f} (+{(b[5] - a[5]) / (b[0] - a[0]) * 1000:.0f} MB per extra 1,000 documents)")
    print(f"\nfiles in {work}" if args.keep else "", end="\n" if args.keep else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
