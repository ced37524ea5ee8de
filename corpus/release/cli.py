"""``aqwal dataset ...``: build a release from the gold, diff two versions, push one to the Hub."""
from __future__ import annotations

import argparse
from pathlib import Path

from aqwal.corpus.command import group, print_json, subcommand, table

BUILD_EXAMPLES = """\
  aqwal dataset build --gold gold.jsonl --out release/ --version 1.0.0
  aqwal dataset build --gold gold.jsonl --out release-1.1/ --previous release/   # keeps splits, writes the changelog
  aqwal dataset build --gold gold.jsonl --out private/ --include-restricted      # adds the `all` config
  aqwal dataset build --gold gold.jsonl --out release/ --agreement agreement.json --json
"""
DIFF_EXAMPLES = """\
  aqwal dataset diff release-1.0/ release-1.1/          # two release folders
  aqwal dataset diff old-gold.jsonl new-gold.jsonl --json
"""
PUSH_EXAMPLES = """\
  HF_TOKEN=... aqwal dataset push release/ --repo-id my-org/aqwal      # uploads and tags v<version>
  HF_TOKEN=... aqwal dataset push release/ --repo-id my-org/aqwal --private
"""


def register(sub) -> None:
    ds = group(sub, "dataset", "the release: build the Hugging Face dataset, diff versions, push to the Hub")
    p = subcommand(ds, "build", "build a release folder (Parquet, card, manifest, changelog) from gold JSONL",
                   BUILD_EXAMPLES, _build)
    p.add_argument("--gold", required=True, type=Path, help="gold documents JSONL (.jsonl or .jsonl.gz)")
    p.add_argument("--out", required=True, type=Path, help="release folder to create")
    p.add_argument("--version", help="X.Y.Z (default: 0.1.0, or the previous version bumped as the changes need)")
    p.add_argument("--previous", type=Path, help="the previous release folder: keep its splits, diff against it")
    p.add_argument("--include-restricted", action="store_true",
                   help="also release text without a redistribution grant (config `all`; private builds only)")
    p.add_argument("--agreement", type=Path, help="agreement figures JSON (see corpus/release/agreement.py)")
    p.add_argument("--limitations", type=Path, help="Markdown lines ('- ...') the card adds to its "
                   "limitations: the version's known weaknesses")
    p.add_argument("--annotators", type=Path, help="annotator registry TSV (email, annotator, kind, description) "
                   "whose descriptions the card prints for the recorded annotators")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    p.add_argument("--json", action="store_true", help="print the manifest's counts as JSON")

    p = subcommand(ds, "diff", "print the changelog between two releases or two gold files", DIFF_EXAMPLES, _diff)
    p.add_argument("old", type=Path, help="older release folder or gold JSONL")
    p.add_argument("new", type=Path, help="newer release folder or gold JSONL")
    p.add_argument("--json", action="store_true", help="print the changes as JSON")

    p = subcommand(ds, "push", "upload a release folder to the Hugging Face Hub and tag its version "
                   "(token from HF_TOKEN)", PUSH_EXAMPLES, _push)
    p.add_argument("release", type=Path, help="release folder made by `aqwal dataset build`")
    p.add_argument("--repo-id", required=True, help="ORG/NAME of the dataset repository")
    p.add_argument("--private", action="store_true", help="create the repository as private")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _build(args: argparse.Namespace) -> int:
    import sys

    from aqwal.corpus.release.build import BuildOptions, build

    manifest = build(BuildOptions(gold=args.gold, out=args.out, version=args.version,
                                  include_restricted=args.include_restricted, previous=args.previous,
                                  agreement=args.agreement, annotators=args.annotators, limitations=args.limitations, overwrite=args.overwrite,
                                  progress=sys.stderr.isatty()))
    report = {"out": str(args.out), "version": manifest["version"], "content_hash": manifest["content_hash"],
              "excluded_documents": manifest["excluded_documents"], "configs": manifest["configs"]}
    if args.json:
        print_json(report)
        return 0
    rows = []
    for name, conf in manifest["configs"].items():
        for split, c in conf["splits"].items():
            rows.append([name, split, c["documents"], c.get("words", c.get("tokens")),
                         sum(c["entities"].values()) if "entities" in c else None, c.get("quotes"),
                         c.get("misaligned")])
    print(table(rows, ["config", "split", "documents", "words/tokens", "entities", "quotes", "misaligned"]))
    print(f"\nv{manifest['version']} written to {args.out} (content hash {manifest['content_hash'][:16]}…); "
          f"documents without a redistribution grant left out: {manifest['excluded_documents']}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from aqwal.corpus.release.diff import changelog_markdown, diff
    from aqwal.corpus.release.load import side_of

    change = diff(side_of(args.old), side_of(args.new))
    if args.json:
        print_json(change)
    else:
        print(changelog_markdown(change), end="")
    return 0


def _push(args: argparse.Namespace) -> int:
    from aqwal.corpus.release.push import push

    result = push(args.release, args.repo_id, private=args.private)
    if args.json:
        print_json(result)
    else:
        print(f"pushed v{result['version']} to {result['repo_id']} (commit {result['commit']}, tag {result['tag']})")
    return 0
