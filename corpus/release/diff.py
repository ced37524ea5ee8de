"""The changelog between two versions of the gold: documents added, removed, moved between splits;
per document, spans added/removed/relabelled and stance changes.

Annotations are matched by their offsets, not their ids (ids may be renumbered between versions).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aqwal.corpus.model import Document, Quote


@dataclass(frozen=True, slots=True)
class Side:
    """One version: its documents, their split assignment (may be empty for plain gold), version labels."""

    documents: dict[str, Document]
    splits: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    scheme_version: str | None = None


def _span_text(text: str, start: int, end: int) -> str:
    return f"[{start}, {end}) «{text[start:end]}»"


LAYERS = ("text", "entity", "source", "target", "quote", "kind", "cue", "speaker", "stance")
ACTIONS = ("added", "removed", "changed")


def _doc_changes(old: Document, new: Document) -> list[tuple[str, str, str]]:
    """(layer, action, line) for every change of one document; the action is added, removed or changed."""
    out: list[tuple[str, str, str]] = []
    if old.sha256 != new.sha256:
        out.append(("text", "changed", f"text changed (sha256 {old.sha256[:12]} → {new.sha256[:12]})"))
        return out  # offsets of a changed text cannot be compared
    text = new.text
    for name, a, b in (("entity", old.entities, new.entities), ("source", old.sources, new.sources)):
        olds: dict[tuple[int, int], set[str]] = {}
        news: dict[tuple[int, int], set[str]] = {}
        for m in a:
            olds.setdefault((m.span.start, m.span.end), set()).add(m.label)
        for m in b:
            news.setdefault((m.span.start, m.span.end), set()).add(m.label)
        for key in sorted(set(olds) | set(news)):
            before, after = olds.get(key, set()), news.get(key, set())
            where = _span_text(text, *key)
            if before and after and before != after:
                out.append((name, "changed", f"{name} relabelled: {where} {'/'.join(sorted(before))} → "
                                             f"{'/'.join(sorted(after))}"))
            elif not before:
                out.append((name, "added", f"{name} added: {where} {'/'.join(sorted(after))}"))
            elif not after:
                out.append((name, "removed", f"{name} removed: {where} {'/'.join(sorted(before))}"))
    old_targets = {t.id: t.text for t in old.targets}
    new_targets = {t.id: t.text for t in new.targets}
    for tid in sorted(set(old_targets) | set(new_targets)):
        if tid not in new_targets:
            out.append(("target", "removed", f"target removed: {tid} «{old_targets[tid]}»"))
        elif tid not in old_targets:
            out.append(("target", "added", f"target added: {tid} «{new_targets[tid]}»"))
        elif old_targets[tid] != new_targets[tid]:
            out.append(("target", "changed", f"target {tid} reworded: «{old_targets[tid]}» → «{new_targets[tid]}»"))
    oq = {(q.span.start, q.span.end): q for q in old.quotes}
    nq = {(q.span.start, q.span.end): q for q in new.quotes}
    for key in sorted(set(oq) | set(nq)):
        where = _span_text(text, *key)
        if key not in nq:
            out.append(("quote", "removed", f"quote removed: {where} {oq[key].kind}"))
        elif key not in oq:
            out.append(("quote", "added", f"quote added: {where} {nq[key].kind}"))
        else:
            out.extend((layer, action, f"quote {where}: {c}")
                       for layer, action, c in _quote_changes(old, oq[key], new, nq[key]))
    return out


def _speaker(doc: Document, quote: Quote) -> str | None:
    if quote.speaker is None:
        return None
    m = doc.mention(quote.speaker)
    return f"{m.label} [{m.span.start}, {m.span.end}) «{m.span.text}»"


def _action(before: object, after: object) -> str:
    return "added" if before is None else "removed" if after is None else "changed"


def _quote_changes(od: Document, a: Quote, nd: Document, b: Quote) -> list[tuple[str, str, str]]:
    out = []
    if a.kind != b.kind:
        out.append(("kind", "changed", f"kind {a.kind} → {b.kind}"))
    ca = (a.cue.start, a.cue.end) if a.cue else None
    cb = (b.cue.start, b.cue.end) if b.cue else None
    if ca != cb:
        out.append(("cue", _action(ca, cb),
                    f"cue {_span_text(od.text, *ca) if ca else 'none'} → {_span_text(nd.text, *cb) if cb else 'none'}"))
    sa, sb = _speaker(od, a), _speaker(nd, b)
    if sa != sb:
        out.append(("speaker", _action(sa, sb), f"speaker {sa or 'none'} → {sb or 'none'}"))
    st_a = {s.target: s.label for s in a.stance}
    st_b = {s.target: s.label for s in b.stance}
    for t in sorted(set(st_a) | set(st_b)):
        if st_a.get(t) != st_b.get(t):
            out.append(("stance", _action(st_a.get(t), st_b.get(t)),
                        f"stance toward {t}: {st_a.get(t, 'none')} → {st_b.get(t, 'none')}"))
    return out


def diff(old: Side, new: Side) -> dict:
    """Plain-data changelog; ``bump`` is the smallest semantic-version step the change needs."""
    added = sorted(set(new.documents) - set(old.documents))
    removed = sorted(set(old.documents) - set(new.documents))
    common = sorted(set(old.documents) & set(new.documents))
    moved = [{"id": i, "from": old.splits[i], "to": new.splits[i]} for i in common
             if i in old.splits and i in new.splits and old.splits[i] != new.splits[i]]
    changed: dict[str, list[str]] = {}
    per_layer = {layer: dict.fromkeys(ACTIONS, 0) for layer in LAYERS}
    for i in common:
        c = _doc_changes(old.documents[i], new.documents[i])
        if c:
            changed[i] = [line for _, _, line in c]
        for layer, action, _ in c:
            per_layer[layer][action] += 1
    if old.scheme_version and new.scheme_version and old.scheme_version.split(".")[0] != \
            new.scheme_version.split(".")[0]:
        bump = "major"
    elif added or removed or moved or changed:
        bump = "minor"
    else:
        bump = "patch"
    return {"old_version": old.version, "new_version": new.version,
            "old_scheme_version": old.scheme_version, "new_scheme_version": new.scheme_version,
            "added": [{"id": i, "split": new.splits.get(i)} for i in added],
            "removed": [{"id": i, "split": old.splits.get(i)} for i in removed],
            "moved": moved, "changed": changed, "bump": bump,
            "per_layer": {layer: n for layer, n in per_layer.items() if any(n.values())}}


def changelog_markdown(change: dict) -> str:
    """One CHANGELOG.md section."""
    title = f"v{change['new_version']}" if change["new_version"] else "new"
    since = f" (since v{change['old_version']})" if change["old_version"] else ""
    n_spans = sum(len(v) for v in change["changed"].values())
    lines = [f"## {title}{since}", "",
             f"Documents: {len(change['added'])} added, {len(change['removed'])} removed, "
             f"{len(change['moved'])} moved between splits, {len(change['changed'])} with changed annotations "
             f"({n_spans} changes in all). Smallest version step this needs: {change['bump']}.", ""]
    if change["old_scheme_version"] != change["new_scheme_version"]:
        lines += [f"Annotation scheme {change['old_scheme_version']} → {change['new_scheme_version']}.", ""]

    def block(head: str, items: list[str]) -> None:
        if items:
            lines.extend([f"### {head}", "", *items, ""])

    block("Documents added", [f"- `{d['id']}`" + (f" → {d['split']}" if d["split"] else "") for d in change["added"]])
    block("Documents removed", [f"- `{d['id']}`" + (f" (was {d['split']})" if d["split"] else "")
                                for d in change["removed"]])
    block("Documents moved between splits", [f"- `{m['id']}`: {m['from']} → {m['to']}" for m in change["moved"]])
    if change.get("per_layer"):
        lines += ["### Annotation changes per layer", "", "In the documents of both versions (a quotation's kind, cue, "
                  "speaker and stance are counted where the quotation itself is in both).", "",
                  "| layer | added | removed | changed |", "|---|---:|---:|---:|"]
        lines += [f"| {layer} | " + " | ".join(f"{n[a]:,}" for a in ACTIONS) + " |"
                  for layer, n in change["per_layer"].items()] + [""]
    if change["changed"]:
        lines += ["### Annotation changes", ""]
        for doc_id, items in change["changed"].items():
            lines += [f"#### `{doc_id}`", "", *[f"- {c}" for c in items], ""]
    return "\n".join(lines).rstrip() + "\n"
