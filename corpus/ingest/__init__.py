"""Ingestion: upstream articles (seed page, Wikinews, SaudiNewsNet) → cleaned, de-duplicated documents.

Modules: ``text`` (normalisation before storing), ``page`` (page-furniture cleaner, rules in
``page_rules.json``), ``readers`` (one reader per upstream source), ``dedup`` (exact + MinHash/LSH),
``report`` (what happened to every record), ``pipeline`` (streams readers through dedup to JSONL).
"""
