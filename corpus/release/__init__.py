"""The release: gold documents → a versioned Hugging Face dataset (Parquet + card + manifest).

Modules: ``rows`` (documents ↔ plain rows), ``features`` (the datasets ``Features`` from the scheme),
``configs`` (which documents each config holds, by licence), ``splits`` (deterministic document-level
splits), ``tokenview`` (token rows and the CoNLL export), ``stats`` and ``card`` (the dataset card),
``manifest`` (hashes, counts, versions), ``diff`` (the changelog), ``build``, ``push``, ``load`` and
``cli``.  Only ``features``, ``build``, ``push`` and ``load`` touch ``datasets``/``pyarrow``/
``huggingface_hub``, inside their functions.
"""
