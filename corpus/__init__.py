"""Aqwal corpus stage: the document model, the articles and their ingestion.

Nothing here imports the annotation or benchmark stages; they import this.
"""
