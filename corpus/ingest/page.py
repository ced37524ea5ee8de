"""Cleaners for news texts: keep the headline and the article, drop the site's furniture.

The rules are data (``page_rules.json``): ``pages`` for whole pages saved as text (one entry per site),
``articles`` for furniture left inside article bodies of a corpus (one entry per outlet).

``clean_page`` reads a page line by line:

- the **header** is every line before the lead: the first line of at least ``lead_min_words`` words that
  no rule drops.  Header lines matching a ``header`` or ``anywhere`` rule are dropped; of the rest, the last
  one is the headline and the ones before it are the kicker (the sub-headline printed above it);
- the **footer** starts at the first line matching ``footer_start`` (after the lead); every footer line must
  match a ``footer`` or ``anywhere`` rule, else the page is refused (``FormatError``): an unknown line in
  the footer may be article text, and silently dropping article text is worse than stopping;
- in the **body** (lead to footer), lines matching an ``anywhere`` rule are dropped, and so is a line that
  repeats the headline or the kicker (sites print the kicker again as a sub-heading).

Every dropped line is returned with its line number and the rule that dropped it, so a report can show it.

``clean_paragraphs`` applies an outlet's ``articles`` rules to a body's paragraphs: ``drop`` rules remove a
whole paragraph (SPA's "// انتهى //"), ``strip`` rules remove the matched part (okaz's share-button text
glued before the lead).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from aqwal.corpus.errors import ConfigError, FormatError
from aqwal.corpus.ingest.text import PARAGRAPH_BREAK
from aqwal.corpus.ingest.text import lines as clean_lines

RULES_FILE = Path(__file__).with_name("page_rules.json")
_WHERE = ("header", "footer", "anywhere")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    where: str
    pattern: re.Pattern


@dataclass(frozen=True, slots=True)
class SiteRules:
    site: str
    lead_min_words: int
    drop: tuple[Rule, ...]
    footer_start: re.Pattern

    def dropping(self, line: str, part: str) -> str | None:
        """The name of the first rule for ``part`` that drops ``line``, or None."""
        for rule in self.drop:
            if rule.where in (part, "anywhere") and rule.pattern.search(line):
                return rule.name
        return None


@dataclass(frozen=True, slots=True)
class Removed:
    line: int  # 1-based line of the page
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class CleanPage:
    headline: str
    kicker: tuple[str, ...]
    body: str  # paragraphs joined with "\n\n"
    removed: tuple[Removed, ...]

    @property
    def text(self) -> str:
        """The document text: headline, a paragraph break, the body."""
        return self.headline + PARAGRAPH_BREAK + self.body


@lru_cache(maxsize=2)
def _table(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def site_rules(site: str, path: Path = RULES_FILE) -> SiteRules:
    table = _table(path)["pages"]
    if site not in table:
        raise ConfigError(f"no page rules for site {site!r} in {path} (fix: use one of {', '.join(table)} "
                          "or add the site's rules there)")
    entry = table[site]
    drop = []
    for i, r in enumerate(entry["drop"]):
        if r["where"] not in _WHERE:
            raise ConfigError(f"{path}: {site}.drop[{i}].where is {r['where']!r} (fix: one of {_WHERE})")
        drop.append(Rule(r["name"], r["where"], re.compile(r["pattern"])))
    return SiteRules(site, int(entry["lead_min_words"]), tuple(drop), re.compile(entry["footer_start"]))


def clean_page(raw: str, site: str, *, where: str = "page") -> CleanPage:
    """Headline, kicker and body of a page text; ``where`` names the page in errors."""
    rules = site_rules(site)
    numbered = [(no, line) for no, raw_line in enumerate(raw.splitlines(), 1)
                for line in clean_lines(raw_line)]
    removed: list[Removed] = []
    header: list[tuple[int, str]] = []
    lead_at = None
    for k, (no, line) in enumerate(numbered):
        rule = rules.dropping(line, "header")
        if rule is not None:
            removed.append(Removed(no, rule, line))
        elif len(line.split()) >= rules.lead_min_words:
            lead_at = k
            break
        else:
            header.append((no, line))
    if lead_at is None:
        raise FormatError(f"{where}: no line of {rules.lead_min_words}+ words: no article found "
                          f"(fix: check that this is a {site} article page)")
    if not header:
        raise FormatError(f"{where}: no headline before the article's first paragraph "
                          f"(fix: check that this is a {site} article page)")
    headline = header[-1][1]
    kicker = tuple(line for _, line in header[:-1])
    repeats = {headline, *kicker}
    body: list[str] = []
    in_footer = False
    for no, line in numbered[lead_at:]:
        in_footer = in_footer or bool(rules.footer_start.search(line))
        rule = rules.dropping(line, "footer" if in_footer else "body")
        if rule is None and not in_footer and line in repeats:
            rule = "repeated headline or kicker"
        if rule is not None:
            removed.append(Removed(no, rule, line))
        elif in_footer:
            raise FormatError(f"{where}:{no}: line {line[:60]!r} in the page footer matches no rule "
                              f"(fix: add a rule for it to {RULES_FILE.name} under {site!r}, or move the "
                              "footer_start pattern)")
        else:
            body.append(line)
    return CleanPage(headline, kicker, PARAGRAPH_BREAK.join(body), tuple(removed))


@dataclass(frozen=True, slots=True)
class ArticleRules:
    drop: tuple[Rule, ...] = ()
    strip: tuple[Rule, ...] = ()


@lru_cache(maxsize=32)
def article_rules(outlet: str | None, path: Path = RULES_FILE) -> ArticleRules:
    """The outlet's body rules; an outlet without an entry has none."""
    entry = _table(path)["articles"].get(outlet or "", {})
    return ArticleRules(*(tuple(Rule(r["name"], "body", re.compile(r["pattern"])) for r in entry.get(kind, ()))
                          for kind in ("drop", "strip")))


def clean_paragraphs(paragraphs: list[str], outlet: str | None) -> tuple[list[str], list[str]]:
    """``(kept paragraphs, names of the rules that removed something)``."""
    rules = article_rules(outlet)
    if not rules.drop and not rules.strip:
        return paragraphs, []
    kept, fired = [], []
    for para in paragraphs:
        dropped = next((r.name for r in rules.drop if r.pattern.search(para)), None)
        if dropped is not None:
            fired.append(dropped)
            continue
        for rule in rules.strip:
            new = rule.pattern.sub("", para, count=1).strip()
            if new != para:
                fired.append(rule.name)
                para = new
        if para:
            kept.append(para)
    return kept, fired
