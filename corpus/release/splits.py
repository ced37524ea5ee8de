"""The split of each released document: the plan's (corpus/data/splits.tsv), a previous release's, or the
rule of aqwal.corpus.splits for a document neither knows (stratified by source and outlet)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from aqwal.corpus.errors import InvalidData, Problem
from aqwal.corpus.model import Document
from aqwal.corpus.splits import Assignment, read_plan
from aqwal.corpus.splits import assign as assign_new


def assign(docs: Iterable[Document], previous: Mapping[str, str] | None = None,
           plan: Mapping[str, Assignment] | None = None) -> dict[str, str]:
    """``{document id: split}`` for ``docs``: a previous release's split kept, else the plan's (default: the
    committed plan), else assigned by the rule; InvalidData when a previous release and the plan disagree."""
    docs = list(docs)
    previous = dict(previous or {})
    plan = read_plan() if plan is None else plan
    problems = [Problem(f"document {d.id!r}", "split", f"the previous release has it in {previous[d.id]}, the "
                        f"plan in {plan[d.id].split}", "a document never changes split: correct "
                        "corpus/data/splits.tsv") for d in docs
                if d.id in previous and d.id in plan and previous[d.id] != plan[d.id].split]
    if problems:
        raise InvalidData(problems)
    fixed = {**{d.id: plan[d.id].split for d in docs if d.id in plan}, **{i: s for i, s in previous.items()}}
    story_of = {d.id: plan[d.id].story for d in docs if d.id in plan}
    return {doc_id: a.split for doc_id, a in assign_new(docs, fixed, story_of=story_of).items()}
