"""The dataset card (README.md): YAML front matter for the Hub and a body generated from the data.

``body`` is pure text from plain data; ``front_matter`` uses ``huggingface_hub``/``datasets`` helpers so
that ``configs`` and ``dataset_info`` are written exactly as ``datasets`` reads them.
"""
from __future__ import annotations

from aqwal.corpus.licenses import LICENCES
from aqwal.corpus.release.rows import METADATA_FIELDS
from aqwal.corpus.schema import ENTITY_LABELS, QUOTE_KINDS, SCHEME_VERSION, SOURCE, STANCE_LABELS

PRETTY_NAME = "Aqwal (أقوال): Arabic news quotations, speakers, entities and stance"
CITATION = """\
@misc{aqwal,
  title  = {Aqwal: an annotated corpus of quotations, speakers, entities and stance in Arabic news},
  author = {{The Aqwal contributors}},
  note   = {Dataset version VERSION, content hash HASH},
  year   = {2026}
}"""


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n < limit:
            return name
    return "100K<n<1M"


def front_matter(*, infos: dict, data_files: dict[str, dict[str, str]], default: str, licences: list[str],
                 n_documents: int, producers: set[str]) -> str:
    """The YAML block (without the ``---`` fences). ``infos``: config → datasets.DatasetInfo;
    ``data_files``: config → {split: path pattern}."""
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    hub_licences = sorted({LICENCES[lic].hub for lic in licences})
    creators = sorted({"expert-generated" if p in ("human", "adjudicated") else "machine-generated"
                       for p in producers if p != "not recorded"}) or ["no-annotation"]
    extra = {"license_name": "all-rights-reserved"} if "other" in hub_licences else {}
    card = DatasetCardData(
        pretty_name=PRETTY_NAME, language=["ar"], license=hub_licences, multilinguality=["monolingual"],
        annotations_creators=creators, language_creators=["found"], size_categories=[_size_category(n_documents)],
        source_datasets=["original"], task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition"],
        tags=["arabic", "news", "quotation-attribution", "stance-detection", "named-entity-recognition"], **extra)
    DatasetInfosDict(infos).to_dataset_card_data(card)
    MetadataConfigs({name: {"data_files": [{"split": s, "path": p} for s, p in splits.items()],
                            **({"default": True} if name == default else {})}
                     for name, splits in data_files.items()}).to_dataset_card_data(card)
    return card.to_yaml()


def _table(header: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v) for v in r)
            + " |" for r in rows]
    return out + [""]


def _docs(n: int) -> str:
    return f"{n:,} document" + ("" if n == 1 else "s")


def _provenance_sentence(row: dict) -> str:
    n = row["documents"]
    who = {"adjudicated": "annotated by people and adjudicated",
           "adjudicated by systems": "annotated independently by two or more systems (no person annotated or "
                                     "adjudicated them) and adjudicated: the items they agreed on kept, any "
                                     "others decided by a system adjudicator",
           "human": "annotated by a person (one annotator's annotations, not adjudicated)",
           "system only": "annotated by a system only (no person annotated them): machine output",
           "not recorded": "carrying no record of who or what annotated them: treat them as unverified"}[row["produced_by"]]
    if row["produced_by"] == "not recorded":
        return f"- {_docs(n)} {who}."
    pre = ("starting from a system's pre-annotations" if row["pre_annotated"]
           else "from scratch, without pre-annotations")
    rev = "reviewed by another person" if row["reviewed"] else "not reviewed by a second person"
    if row["produced_by"] == "adjudicated by systems":  # several annotators: say which started from what
        pre = ("at least one annotator starting from a system's pre-annotations" if row["pre_annotated"]
               else "every annotator from scratch, without pre-annotations")
    if row["produced_by"] in ("system only", "adjudicated by systems"):
        rev = "reviewed by a person" if row["reviewed"] else "not reviewed by a person"
        return f"- {_docs(n)} {who}, {pre}; {rev}."
    if row["produced_by"] == "adjudicated":  # the adjudication is the second look; say only what else happened
        return f"- {_docs(n)} {who}, {pre}" + ("; also reviewed by another person." if row["reviewed"] else ".")
    return f"- {_docs(n)} {who}, {pre}; {rev}."


def _annotator_lines(annotators: list[dict], registry: dict) -> list[str]:
    """Who or what each recorded annotator is, in the words of the annotator registry the build was given."""
    if not annotators:
        return []
    from aqwal.corpus.annotators import descriptions
    known = descriptions(registry)
    kind_word = {"human": "a person", "system": "not a person"}
    out = ["", "Annotators (as recorded in the annotator registry, `annotation/annotators.tsv`):", ""]
    for a in annotators:
        entry = known.get(a["annotator"])
        what = entry.description if entry is not None else "no description in the annotator registry"
        out.append(f"- `{a['annotator']}` ({kind_word.get(a['kind'], a['kind'])}; {_docs(a['documents'])}): {what}.")
    return out


def _value(m) -> str:
    if m.value is None:
        return "undefined"
    if m.interval and m.interval[0] is not None:
        return f"{m.value:.3f} [{m.interval[0]:.3f}, {m.interval[1]:.3f}]"
    return f"{m.value:.3f}"


def agreement_lines(agreement, *, people: bool) -> list[str]:
    """The agreement section: per layer and measure, overall and per source, with 95% intervals."""
    overall = agreement.overall
    pairs = "; ".join(f"{k}: {_docs(v)}" for k, v in agreement.pairs.items())
    out = [f"{_docs(overall.documents)} annotated twice, independently ({pairs}), compared with the "
           f"leaderboard's own scorers: one annotation read as the gold, the other as a system's predictions "
           f"(quotations match at {agreement.match}); speaker and kind are scored both ways and pooled; stance "
           f"agreement is Cohen's kappa and Krippendorff's alpha over the (quotation, target) items of matched "
           f"quotations. Values with {agreement.level:.0%} bootstrap intervals over documents "
           f"({agreement.resamples:,} resamples).", ""]
    if not people:
        out += ["No person annotated: these figures compare systems (see above), so they measure how "
                "consistently those systems apply the guidelines, not how far people would agree.", ""]
    sources = list(agreement.by_source)
    header = ["layer", "measure", f"all ({overall.documents:,} documents)"] + [
        f"{s} ({agreement.by_source[s].documents:,})" for s in sources]
    rows = [[m.layer, m.description, _value(m)] + [_value(agreement.by_source[s].measures[name])
                                                      for s in sources]
            for name, m in overall.measures.items()]
    out += _table(header, rows)
    if overall.items:
        out += ["Items compared: " + ", ".join(f"{k} {v:,}" for k, v in overall.items.items()) + ".", ""]
    return out


def body(*, version: str, content_hash: str, configs: list[dict], tokens: dict | None, provenance: dict,
         agreement: dict | None, excluded: int, include_restricted: bool, sources: list[dict],
         registry: dict | None = None, default: str | None = None, limitations: str | None = None) -> str:
    """The card's Markdown. ``configs``: [{name, description, licences, stats: {split: statistics},
    split_hashes: {split: content hash}}]; ``default``: the default config;
    ``tokens``: {config, misaligned: {reason: n}, entities, stats} or None; ``sources``: [{source,
    documents, licences, outlets}] of the released documents."""
    L: list[str] = [f"# {PRETTY_NAME}", "", f"Version **{version}** · annotation scheme {SCHEME_VERSION} · "
                    f"content hash `{content_hash}`", ""]
    L += ["Aqwal is a corpus of Arabic news articles annotated for named entities, quotations (content span, "
          "kind, reporting cue and a link to the speaker's mention) and the stance each quotation takes toward "
          "named targets. Offsets are half-open `[start, end)` Unicode code points of the stored text, which is "
          "the cleaned article, never normalised. This card, the statistics and the `dataset_info` above are "
          "generated from the data by `aqwal dataset build`.", ""]
    if include_restricted:
        L += ["**Private build**: this release includes text without a redistribution grant (config `all`). "
              "Do not publish it.", ""]
    L += ["## Configs, sources and licences", ""]
    rows = []
    for c in configs:
        n = sum(s["documents"] for s in c["stats"].values())
        lic = "; ".join(f"{LICENCES[x].name} ({LICENCES[x].attribution})" for x in c["licences"])
        name = f"`{c['name']}`" + (" (default)" if c["name"] == default else "")
        rows.append([name, n, c["description"], lic or "none"])
    if tokens:
        rows.append(["`tokens`", sum(s["documents"] for s in tokens["stats"].values()),
                     f"the token view of `{tokens['config']}`: tokens, character offsets, BIO entity tags; "
                     "same documents, same splits", f"as `{tokens['config']}`; each row names its licence"])
    L += _table(["config", "documents", "what", "licences (credit)"], rows)
    L += _table(["source", "documents", "licence", "outlets"],
                [[f"`{x['source']}`", x["documents"], ", ".join(x["licences"]), ", ".join(x["outlets"]) or "—"]
                 for x in sources])
    if excluded:
        L += [f"{_docs(excluded)} of the gold whose text has no redistribution grant "
              f"{'is' if excluded == 1 else 'are'} left out of this release.", ""]
    L += ["A release that includes SaudiNewsNet text is for non-commercial research only (CC BY-NC-SA 4.0); "
          "article copyright stays with each newspaper. The `cc-by` config holds Wikinews text only (CC BY 2.5: "
          "credit Wikinews).", ""]
    L += ["## Loading", "", "```python", "from datasets import load_dataset",
          f'ds = load_dataset("ORG/aqwal", revision="v{version}")  # the default config'
          + (f": {default}" if default else ""),
          *([f'ds = load_dataset("ORG/aqwal", "cc-by", revision="v{version}")  # commercial use: Wikinews only']
            if default != "cc-by" and any(c["name"] == "cc-by" for c in configs) else []),
          'ds = load_dataset("path/to/this/folder", "tokens")  # offline, from a local copy', "```", "",
          "Without a config name, `load_dataset` and every `aqwal` command read the default config"
          + (f" (`{default}`)" if default else "") + "; name another with `load_dataset(path, NAME)` or "
          "`--config NAME`. Scores say which config and split they were computed on, with the content hash of "
          "that split (the table below).", "",
          "CoNLL files of the token view are under `conll/` (`token<TAB>tag`, `-DOCSTART-<TAB>id` per document).",
          ""]
    L += ["## The annotation scheme", "", f"Scheme version {SCHEME_VERSION}.", ""]
    L += _table(["entity label", "meaning"], [[lab.name, lab.description] for lab in ENTITY_LABELS])
    L += [f"Spans may nest. `sources` holds {SOURCE.name} spans: {SOURCE.description}. Each quotation has a "
          f"kind ({', '.join(QUOTE_KINDS)}), a cue span (the reporting word), a speaker (the id of an entity "
          f"or source mention of the same document, or null) and, for each target of the document, a stance "
          f"({', '.join(STANCE_LABELS)}). Label columns are `ClassLabel`s; their names are in the features.", ""]
    L += [f"Row fields: `id`, `title`, `text`, `metadata` ({', '.join(METADATA_FIELDS)}: sha256 is that of the "
          "text, provenance the upstream file and record), `targets` [{id, text}], `entities` [{id, start, end, text, label}], "
          "`sources` [{id, start, end, text}], `quotes` [{id, start, end, text, kind, cue {start, end, text}, "
          "speaker, stance [{target, label}]}], `annotations` [{annotator, kind, created_at, pre_annotation, "
          "reviewed_by, scheme}].", ""]
    L += ["## Statistics", "", "Words are whitespace-separated strings.", ""]
    for c in configs:
        L += [f"### `{c['name']}`", ""]
        splits = list(c["stats"])
        head = ["", *splits]
        srows = [["documents", *[c["stats"][s]["documents"] for s in splits]],
                 ["words", *[c["stats"][s]["words"] for s in splits]]]
        srows += [[f"entities {lab.name}", *[c["stats"][s]["entities"][lab.name] for s in splits]]
                  for lab in ENTITY_LABELS]
        srows += [["sources", *[c["stats"][s]["sources"] for s in splits]],
                  ["targets", *[c["stats"][s]["targets"] for s in splits]]]
        srows += [[f"quotations {k}", *[c["stats"][s]["quote_kinds"][k] for s in splits]] for k in QUOTE_KINDS]
        srows += [["quotations with a speaker", *[c["stats"][s]["quotes_with_speaker"] for s in splits]]]
        srows += [[f"stance {k}", *[c["stats"][s]["stance"][k] for s in splits]] for k in STANCE_LABELS]
        L += _table(head, srows)
    if tokens:
        mis = tokens["misaligned"]
        total = sum(mis.values())
        L += ["### Token view", "", f"{tokens['entities']:,} entity spans; {total:,} of them are not in the BIO "
              "tags because they cannot be expressed over the tokens (they are listed in each row's "
              "`misaligned` and never rounded to token boundaries):", ""]
        L += _table(["reason", "spans"], [[r, n] for r, n in sorted(mis.items())] or [["none", 0]])
    L += ["## How the annotations were produced", "",
          "Computed from each document's annotation records (`annotations`): who or what annotated it, whether "
          "the annotator started from a system's pre-annotations, and whether anyone besides the annotator "
          "reviewed it.", ""]
    L += [_provenance_sentence(r) for r in provenance["rows"]] or ["- no documents."]
    L += _annotator_lines(provenance.get("annotators") or [], registry or {})
    L += ["", f"People involved: {provenance['human_annotators']}. Systems involved: "
          f"{', '.join(f'`{s}`' for s in provenance['systems']) or 'none'}.", ""]
    L += ["## Agreement", ""]
    if agreement:
        L += agreement_lines(agreement, people=provenance["human_annotators"] > 0)
    else:
        L += ["No inter-annotator agreement figures are given for this version: no snapshot with several "
              "annotators per document was supplied to the build.", ""]
    L += ["## Splits", "", "Document-level train/validation/test, planned for every pool document before it was "
          "annotated (`corpus/data/splits.tsv` in the repository): near copies of one story (MinHash similarity "
          ">= 0.5) stay in one split, and stories are stratified by source and outlet (new documents 50 / 14 / 36 "
          "%, so that the test split is large enough to rank systems). A document keeps its split from one "
          "version to the next unless CHANGELOG.md says it moved. The assignment is recorded in `manifest.json`.",
          ""]
    L += ["## Limitations", "",
          "- Small: the statistics above are the whole corpus; per-label figures on rare labels are noisy.",
          f"- Sources: {', '.join(x['source'] for x in sources) or 'none'} only (see the table above): Modern "
          "Standard Arabic news; Wikinews covers mixed topics, SaudiNewsNet Saudi and pan-Arab outlets of "
          "July–August 2015; regionally and temporally narrow.",
          "- Annotations not marked adjudicated above come from one annotator; " + (
              "see the agreement section for how far annotators agree." if agreement else
              "no agreement between annotators has been measured for this version."),
          "- Stance targets come from a small corpus-level inventory; a neutral stance means no stance "
          "toward that target was expressed, not that the speaker is neutral.",
          "- The token view drops the spans listed as misaligned; use the character spans for full fidelity."]
    L += [line for line in (limitations or "").splitlines() if line.strip()] + [""]
    L += ["## Versions", "", "Semantic versions: major = scheme change, minor = documents or annotations "
          "changed, patch = card or metadata. Hub tags are `vX.Y.Z`. `manifest.json` lists the sha256 of every "
          "file, a content hash over canonical JSONL (stable across library upgrades), counts and the split "
          "assignment; `CHANGELOG.md` lists what changed.", ""]
    L += ["## Content hashes", "", "sha256 over the canonical JSON lines of the documents, in id order: the "
          f"whole release `{content_hash}`; per config and split below (also in `manifest.json`, "
          "`content_hash_per_split`). `aqwal evaluate` and `aqwal leaderboard` record the hash of the split they "
          "scored, so a score can be traced to its documents.", ""]
    L += _table(["config", "split", "documents", "content hash"],
                [[f"`{c['name']}`", s, c["stats"][s]["documents"], f"`{h}`"]
                 for c in configs for s, h in c.get("split_hashes", {}).items()])
    L += ["## Citation", "", "```bibtex", CITATION.replace("VERSION", version).replace("HASH", content_hash),
          "```", ""]
    return "\n".join(L)
