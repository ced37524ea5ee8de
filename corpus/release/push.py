"""Upload a built release to the Hugging Face Hub and tag its version.

The token comes from ``HF_TOKEN`` and is never printed.  The release folder is checked against its
manifest first (every file present with its recorded sha256, nothing extra): what is pushed is exactly
what was built.  The endpoint is ``huggingface_hub``'s (``HF_ENDPOINT``).
"""
from __future__ import annotations

import os
from pathlib import Path

from aqwal.corpus.errors import ConfigError, FormatError, ServiceError
from aqwal.corpus.release.load import read_manifest
from aqwal.corpus.release.manifest import file_hashes


def verify(release_dir: Path, manifest: dict) -> None:
    """FormatError unless the folder holds exactly the manifest's files with their sha256s."""
    actual = file_hashes(release_dir)
    expected = manifest["files"]
    bad = sorted(p for p in set(actual) | set(expected) if actual.get(p) != expected.get(p))
    if bad:
        raise FormatError(f"{release_dir}: {len(bad)} file(s) differ from manifest.json ({', '.join(bad[:5])}) "
                          "(fix: rebuild the release with `aqwal dataset build`; do not edit it by hand)")


def push(release_dir: str | Path, repo_id: str, *, private: bool = False) -> dict:
    release_dir = Path(release_dir)
    manifest = read_manifest(release_dir)
    verify(release_dir, manifest)
    if manifest.get("include_restricted") and not private:
        raise ConfigError(f"{release_dir} is a private build (--include-restricted): it holds text without a "
                          "redistribution grant (fix: build without --include-restricted, or push with --private)")
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise ConfigError(f"--repo-id {repo_id!r} is not ORG/NAME (fix: e.g. --repo-id my-org/aqwal)")
    token = os.environ.get("HF_TOKEN")
    if not token:
        raise ConfigError("HF_TOKEN is not set (fix: export HF_TOKEN with a write token for the repository)")
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    tag = f"v{manifest['version']}"
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        refs = api.list_repo_refs(repo_id, repo_type="dataset")
        if any(t.name == tag for t in refs.tags):
            raise ConfigError(f"{repo_id} already has the tag {tag} (fix: build a new version; a published "
                              "version never changes)")
        commit = api.upload_folder(folder_path=str(release_dir), repo_id=repo_id, repo_type="dataset",
                                   commit_message=f"Aqwal {tag}",
                                   commit_description=f"content hash {manifest['content_hash']}",
                                   delete_patterns=["data/**", "conll/**", "*.md", "manifest.json"])
        api.create_tag(repo_id, tag=tag, revision=commit.oid, repo_type="dataset",
                       tag_message=f"Aqwal {tag}, content hash {manifest['content_hash']}")
    except HfHubHTTPError as err:
        # the message carries the URL and the server's reason, never the token
        raise ServiceError(f"the Hub refused the push to {repo_id}: {err} (fix: check HF_TOKEN's write access "
                           "and the repository id)") from None
    return {"repo_id": repo_id, "version": manifest["version"], "tag": tag, "commit": commit.oid,
            "files": len(manifest["files"])}
