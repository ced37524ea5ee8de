# Writes the hand-made Label Studio 1.23.2 export fixtures of tests/data (explicit results, no project code):
#   python tests/data/make_ls_fixtures.py tests/data
# The *.report.json and *.documents.jsonl beside them are the reviewed expected outputs.
import hashlib
import json
import sys
from pathlib import Path

out = sys.argv[1]
T1 = "😀 وقال رئيس الوزراء مصطفى الكاظمي إن العراق لم يعد بحاجة الى القوات الاجنبية.\nواضاف: \"لدينا مهام اساسية\".\nوقال مصدر أمني إن الوضع مستقر 👍🏽."
T2 = "أكد وزير المالية علي علاوي أن الحكومة ماضية في الإصلاح، وأشار إلى أن بغداد ستفي بالتزاماتها."
def sha(t): return hashlib.sha256(t.encode()).hexdigest()
def span(text, rid, s, e, label, surface=None):
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": s, "end": e, "text": text[s:e] if surface is None else surface, "labels": [label]}}
def choice(text, rid, s, e, name, value):
    return {"id": rid, "from_name": name, "to_name": "text", "type": "choices", "origin": "manual",
            "value": {"start": s, "end": e, "text": text[s:e], "choices": [value]}}
def rel(a, b, label):
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [label] if label else []}
def opts(tid):
    return [{"value": f"{tid}:favor", "html": "تأييد · favor"}, {"value": f"{tid}:against", "html": "معارضة · against"},
            {"value": f"{tid}:neutral", "html": "محايد · neutral"}]
def data(text, doc_id, targets, **meta):
    d = {"text": text, "doc_id": doc_id, "sha256": sha(text), "scheme_version": "1.0.0",
         "metadata": {"source": "seed", "license": "all-rights-reserved", "title": None, "outlet": None, "url": None,
                      "published": None, "author": None, "category": None, **meta},
         "targets": [{"id": i, "text": t} for i, t in targets]}
    for slot in (1, 2, 3):
        tg = targets[slot - 1] if slot <= len(targets) else None
        d[f"stance_target_{slot}"] = tg[1] if tg else ""
        d[f"stance_opts_{slot}"] = opts(tg[0]) if tg else []
    return d
def ann(aid, task, who, result, created, **kw):
    a = {"id": aid, "completed_by": who, "result": result, "was_cancelled": False, "ground_truth": False,
         "created_at": created, "updated_at": created, "draft_created_at": None, "lead_time": 61.2, "prediction": {},
         "result_count": 0, "unique_id": f"00000000-0000-4000-8000-{aid:012d}", "import_id": None,
         "last_action": None, "bulk_created": False, "task": task, "project": 1, "updated_by": who if isinstance(who, int) else who["id"],
         "parent_prediction": None, "parent_annotation": None, "last_created_by": None}
    a.update(kw)
    return a
def task(tid, d, annotations, predictions=(), drafts=()):
    return {"id": tid, "annotations": annotations, "file_upload": None, "drafts": list(drafts),
            "predictions": list(predictions), "data": d, "meta": {}, "created_at": "2026-01-05T09:00:00.000000Z",
            "updated_at": "2026-01-05T10:00:00.000000Z", "inner_id": tid, "total_annotations": len(annotations),
            "cancelled_annotations": sum(a["was_cancelled"] for a in annotations), "total_predictions": len(predictions),
            "comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 1,
            "updated_by": 1, "comment_authors": []}
TG1 = [("t-foreign-forces", "وجود القوات الأجنبية في العراق"), ("t-government", "الحكومة العراقية")]
TG2 = [("t-government", "الحكومة العراقية")]

def doc1(kind2="direct", with_gpe=True, q3_t1="neutral"):
    r = [span(T1, "e1", 20, 33, "PER")]
    if with_gpe:
        r.append(span(T1, "e2", 37, 43, "GPE"))
    r += [span(T1, "s1", 111, 120, "SOURCE"),
          span(T1, "q1", 37, 76, "QUOTE"), choice(T1, "q1", 37, 76, "kind", "indirect"),
          choice(T1, "q1", 37, 76, "stance_1", "t-foreign-forces:against"),
          choice(T1, "q1", 37, 76, "stance_2", "t-government:neutral"),
          span(T1, "q2", 86, 103, "QUOTE"), choice(T1, "q2", 86, 103, "kind", kind2),
          choice(T1, "q2", 86, 103, "stance_1", "t-foreign-forces:neutral"),
          choice(T1, "q2", 86, 103, "stance_2", "t-government:favor"),
          span(T1, "q3", 124, 135, "QUOTE"), choice(T1, "q3", 124, 135, "kind", "indirect"),
          choice(T1, "q3", 124, 135, "stance_1", f"t-foreign-forces:{q3_t1}"),
          choice(T1, "q3", 124, 135, "stance_2", "t-government:favor"),
          span(T1, "c1", 3, 6, "CUE"), span(T1, "c2", 79, 83, "CUE"), span(T1, "c3", 107, 110, "CUE"),
          rel("q1", "e1", "speaker"), rel("q1", "c1", "cue"), rel("q2", "e1", "speaker"), rel("q2", "c2", "cue"),
          rel("q3", "s1", "speaker"), rel("q3", "c3", "cue")]
    return r

def doc2():
    return [span(T2, "Xk3aB9zQ1w", 17, 26, "PER"), span(T2, "Pq0Lm2Nb7v", 69, 74, "GPE"),
            span(T2, "R5tYu8IoPa", 30, 54, "QUOTE"), choice(T2, "R5tYu8IoPa", 30, 54, "kind", "indirect"),
            choice(T2, "R5tYu8IoPa", 30, 54, "stance_1", "t-government:favor"),
            span(T2, "Zx1Cv2Bn3M", 0, 3, "CUE"),
            span(T2, "Hj4Kl5Gf6D", 69, 91, "QUOTE"), choice(T2, "Hj4Kl5Gf6D", 69, 91, "kind", "indirect"),
            choice(T2, "Hj4Kl5Gf6D", 69, 91, "stance_1", "t-government:favor"),
            span(T2, "Wq7Er8Ty9U", 57, 61, "CUE"),
            rel("R5tYu8IoPa", "Xk3aB9zQ1w", "speaker"), rel("R5tYu8IoPa", "Zx1Cv2Bn3M", "cue"),
            rel("Hj4Kl5Gf6D", "Xk3aB9zQ1w", "speaker"), rel("Hj4Kl5Gf6D", "Wq7Er8Ty9U", "cue")]

# Label Studio fills an annotation's "prediction" with the project's current prediction (for statistics),
# whether or not the annotator started from it; "parent_prediction" says who did.
PRED = {"id": 1, "result": [span(T1, "p-e0", 20, 33, "PER")], "model_version": "crf@0.1", "created_ago": "1 hour",
        "score": None, "cluster": None, "neighbors": None, "mislabeling": 0.0,
        "created_at": "2026-01-05T09:00:00.000000Z", "updated_at": "2026-01-05T09:00:00.000000Z", "model": None,
        "model_run": None, "task": 1, "project": 1}
clean = [
    task(1, data(T1, "seed-000", TG1, url="https://example.org/a"),
         [ann(1, 1, 1, doc1(), "2026-01-05T10:00:00.000000Z", prediction=PRED),
          ann(2, 1, 2, doc1(kind2="mixed", with_gpe=False, q3_t1="favor"), "2026-01-05T10:05:00.000000Z",
              parent_prediction=1, prediction=PRED)],
         predictions=[1]),
    task(2, data(T2, "seed-001", TG2),
         [ann(3, 2, 1, doc2(), "2026-01-05T11:00:00.000000Z"), ann(4, 2, 2, doc2(), "2026-01-05T11:02:00.000000Z")]),
]
Path(f"{out}/ls_export_clean.json").write_text(json.dumps(clean, ensure_ascii=False, indent=1), encoding="utf-8")

# ---- every problem the converter checks, one task each where they would interfere -------------------
A = {"id": 7, "email": "ann7@example.org", "first_name": "", "last_name": ""}
B = {"id": 8, "email": "ann8@example.org", "first_name": "", "last_name": ""}
p1 = [span(T1, "e1", 20, 33, "PER"),
      span(T1, "e1dup", 20, 33, "PER"),                                 # duplicate region (UI draft autosave)
      span(T1, "bad", 37, 43, "GPE", surface="بغداد"),                   # span text does not match
      span(T1, "weird", 37, 43, "BOGUS"),                                # unknown label
      span(T1, "q1", 37, 76, "QUOTE"), choice(T1, "q1", 37, 76, "kind", "indirect"),
      choice(T1, "q1", 37, 76, "stance_9", "t9:bogus"),                  # unknown control (server accepts it)
      choice(T1, "q1", 37, 76, "stance_2", "t-government:bogus"),        # unknown choice
      choice(T1, "gone", 86, 103, "kind", "direct"),                     # per-region choice without region
      span(T1, "c1", 3, 6, "CUE"),
      rel("q1", "e1dup", "speaker"),                                     # goes to the kept duplicate
      rel("q1", "c1", None),                                             # no label: inferred as cue
      rel("q1", "nowhere", "speaker"),                                   # dangling relation
      span(T1, "q2", 86, 103, "QUOTE"), choice(T1, "q2", 86, 103, "kind", "direct"),   # no speaker, no cue
      span(T1, "q3", 124, 135, "QUOTE"),                                 # no kind
      choice(T1, "q3", 124, 135, "stance_1", "t-foreign-forces:neutral"),
      span(T1, "c3", 107, 110, "CUE"), rel("q3", "c3", "cue"),           # go with the quote without kind
      span(T1, "c9", 79, 83, "CUE"),                                     # CUE linked to nothing
      choice(T1, "q2", 86, 103, "stance_1", "t-government:favor"),       # target given in another's slot
      rel("e1", "c1", "speaker"),                                        # links no quotation
      span(T1, "loc1", 37, 43, "LOC"), rel("q2", "loc1", "speaker"),     # a LOC cannot speak
      choice(T1, "q1", 37, 76, "kind", "direct"),                        # a second, different kind
      ]
problems = [
    task(11, data(T1, "seed-000", TG1),
         [ann(21, 11, A, p1, "2026-01-06T10:00:00.000000Z"),
          ann(22, 11, B, [span(T1, "e1", 20, 33, "PER")], "2026-01-06T10:01:00.000000Z", was_cancelled=True),
          ann(23, 11, B, [span(T1, "x1", 20, 33, "PER")], "2026-01-06T10:02:00.000000Z"),
          ann(24, 11, B, [span(T1, "x2", 20, 33, "PER"), span(T1, "x3", 37, 43, "GPE")],
              "2026-01-06T10:09:00.000000Z")],
         drafts=[{"id": 5, "user": "ann8@example.org", "created_username": " ann8@example.org, 8", "created_ago": "1 hour",
                  "result": [span(T1, "d1", 37, 43, "GPE")], "lead_time": 12.0, "was_postponed": False,
                  "import_id": None, "created_at": "2026-01-06T10:03:00.000000Z",
                  "updated_at": "2026-01-06T10:03:00.000000Z", "task": 11, "annotation": None}]),
    task(12, {**data(T2, "seed-001", TG2), "text": T2.replace("علاوي", "علاّوي")},   # the text was changed
         [ann(25, 12, A, [span(T2.replace("علاوي", "علاّوي"), "e1", 17, 27, "PER")], "2026-01-06T11:00:00.000000Z")]),
]
Path(f"{out}/ls_export_problems.json").write_text(json.dumps(problems, ensure_ascii=False, indent=1), encoding="utf-8")

# ---- an older export counting UTF-16 units: every offset after the emoji is one too far ---------------
def u16(s_cp, text=T1):
    return len(text[:s_cp].encode("utf-16-le")) // 2
def span16(rid, s, e, label):
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": u16(s), "end": u16(e), "text": T1[s:e], "labels": [label]}}
def choice16(rid, s, e, name, value):
    return {"id": rid, "from_name": name, "to_name": "text", "type": "choices",
            "value": {"start": u16(s), "end": u16(e), "text": T1[s:e], "choices": [value]}}
old = [span16("e1", 20, 33, "PER"), span16("q1", 37, 76, "QUOTE"), choice16("q1", 37, 76, "kind", "indirect"),
       choice16("q1", 37, 76, "stance_1", "t-foreign-forces:against"), span16("c1", 3, 6, "CUE"),
       rel("q1", "e1", "speaker"), rel("q1", "c1", "cue"),
       span16("q4", 124, 135, "QUOTE"), choice16("q4", 124, 135, "kind", "indirect"),
       span16("s4", 111, 120, "SOURCE"), rel("q4", "s4", "speaker")]
utf16 = [task(31, data(T1, "seed-000", TG1), [ann(41, 31, 3, old, "2021-03-01T08:00:00.000000Z")])]
Path(f"{out}/ls_export_utf16.json").write_text(json.dumps(utf16, ensure_ascii=False, indent=1), encoding="utf-8")
