"""``aqwal annotate ...``: batches, the Label Studio config and server, push, load, pull, conversion and adjudication.

Each subcommand is one ``add_<name>(sub)`` function declaring its options and handler; ``SUBCOMMANDS``
lists them in the order ``--help`` shows.  Heavy imports stay inside the handlers.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aqwal.corpus.command import group, print_json, subcommand, table


def _config(args: argparse.Namespace) -> int:
    from aqwal.annotation.labelstudio import label_config
    sys.stdout.write(label_config(args.targets, review=args.review))
    return 0


def add_config(sub) -> None:
    p = subcommand(sub, "config", "print the Label Studio labeling config generated from the scheme, for documents "
                   "with a given number of targets",
                   "  aqwal annotate config --targets 2 > config.xml\n"
                   "  aqwal annotate config --targets 1 --review   # a review project's, with the disputes panel\n",
                   _config)
    p.add_argument("--targets", type=int, default=1, help="targets per document: one required stance row each "
                   "(default 1)")
    p.add_argument("--review", action="store_true", help="the config of review tasks (shows their disputes)")


def convert_snapshot(path: Path, annotators: Path | None = None):
    """Convert a snapshot directory (its manifest's users turn user ids into e-mails) or an export file, with
    the annotator registry (``annotators`` or annotation/annotators.tsv) saying who or what each account is."""

    from aqwal.annotation.convert import convert_export, load_export
    from aqwal.annotation.snapshot import MANIFEST
    from aqwal.annotation.batch import ANNOTATORS
    from aqwal.corpus.annotators import load_registry
    from aqwal.corpus.jsonl import read_json
    manifest = path / MANIFEST if path.is_dir() else None
    users = None
    if manifest is not None and manifest.is_file():
        users = read_json(manifest, fix="pull the snapshot again").get("users")
    return convert_export(load_export(path), source=str(path), progress=True, users=users,
                          registry=load_registry(annotators or ANNOTATORS))


def _convert(args: argparse.Namespace) -> int:
    from aqwal.corpus.jsonl import write_json_lines
    conv = convert_snapshot(args.snapshot, args.annotators)
    report = conv.report()
    rejected = len(conv.rejected)
    failed = bool(rejected) and not args.lenient
    rows = [d.to_dict() for _, docs in sorted(conv.documents.items()) for d in docs]
    report["out"] = str(args.out)
    report["written"] = 0 if failed else write_json_lines(args.out, rows)
    if args.json:
        print_json(report)
    else:
        _print_conversion(report)
    if failed:
        print(f"aqwal: {rejected} result(s) or annotation(s) could not be converted (listed above); nothing was "
              f"written to {args.out}; fix them in Label Studio and pull again, or pass --lenient to write the "
              "rest", file=sys.stderr)
        return 1
    return 0


def _print_conversion(report: dict) -> None:
    print(f"scheme {report['scheme_version']}: {report['results']:,} results, {report['converted']:,} converted, "
          f"{report['not_converted']:,} not converted ({report['rejected']:,} rejected)")
    if report["written"]:
        print(f"{report['written']:,} documents written to {report['out']}")
    if report["documents"]:
        print(table([[a, n] for a, n in report["documents"].items()], ["annotator", "documents"]))
    if report["unconverted"]:
        print("\nnot converted:")
        print(table([[u["task"], u["annotation"], u["result"], u["status"], u["reason"]]
                     for u in report["unconverted"]], ["task", "annotation", "result", "status", "reason"]))
    if report["warnings"]:
        print("\nwarnings:")
        for w in report["warnings"]:
            print(f"  {w}")


def add_convert(sub) -> None:
    p = subcommand(sub, "convert", "convert a pulled snapshot (or a Label Studio JSON export) to documents, "
                   "one per annotator and task",
                   "  aqwal annotate convert annotation/snapshots/2026-01-05T10-00-00Z --out docs.jsonl\n"
                   "  aqwal annotate convert export.json --out docs.jsonl --lenient --json\n", _convert)
    p.add_argument("snapshot", type=Path, help="snapshot directory (export.json + manifest.json) or export file")
    p.add_argument("--out", type=Path, required=True, help="documents JSONL to write (one line per annotator "
                   "and document; each records its annotator)")
    p.add_argument("--annotators", type=Path, help="annotator registry TSV (email, annotator, kind, "
                   "description); default annotation/annotators.tsv")
    p.add_argument("--lenient", action="store_true", help="exit 0 even when results could not be converted")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def load_all_versions(paths: list[Path], *, lenient: bool) -> dict:
    """Documents per annotator from several snapshots (batches, or a second annotation pass) together.

    An annotator's document may come from one of them only: two versions of it would be ambiguous."""
    from aqwal.corpus.errors import InvalidData, Problem
    merged: dict = {}
    origin: dict = {}
    for path in paths:
        for annotator, docs in load_versions(path, lenient=lenient).items():
            for doc in docs:
                first = origin.setdefault((annotator, doc.id), path)
                if first != path:
                    raise InvalidData(Problem(str(path), f"annotator {annotator!r} document {doc.id!r}",
                                              f"is also in {first}", "give each snapshot once, the latest of a "
                                              "project (each pull holds the whole project)"))
                merged.setdefault(annotator, []).append(doc)
    return merged


def load_versions(path: Path, *, lenient: bool) -> dict:
    """Documents per annotator from a snapshot / export (converted here) or a converted documents JSONL."""
    from aqwal.corpus.errors import InvalidData, Problem
    if path.is_file() and path.name.endswith((".jsonl", ".jsonl.gz")):
        from aqwal.corpus.jsonl import iter_documents
        out: dict = {}
        seen: set = set()
        for doc in iter_documents(path):
            # one annotator's record: a person's, or a system's that annotated like one (see annotators.tsv)
            humans = [a for a in doc.annotations if a.kind in ("human", "system")]
            if len(humans) != 1:
                raise InvalidData(Problem(f"{path} document {doc.id!r}", "annotations",
                                          f"{len(humans)} annotator records", "give the output of "
                                          "`aqwal annotate convert` (one annotator per line)"))
            if (humans[0].annotator, doc.id) in seen:
                raise InvalidData(Problem(f"{path} document {doc.id!r}", "id", f"annotator "
                                          f"{humans[0].annotator!r} has this document twice",
                                          "give each annotator's version once"))
            seen.add((humans[0].annotator, doc.id))
            out.setdefault(humans[0].annotator, []).append(doc)
        return out
    conv = convert_snapshot(path)
    rejected = len(conv.rejected)
    if rejected:
        message = (f"{path}: {rejected} result(s) could not be converted; see `aqwal annotate convert {path} "
                   "--out ...`")
        if not lenient:
            raise InvalidData(Problem(str(path), "", message.split(": ", 1)[1], "fix them in Label Studio and pull "
                                   "again, or pass --lenient to go on without them"))
        print(f"aqwal: warning: {message}", file=sys.stderr)
    return conv.documents


def _adjudicate(args: argparse.Namespace) -> int:
    from aqwal.annotation.adjudicate import adjudicate_stages, fill_metadata
    from aqwal.corpus.errors import ConfigError
    from aqwal.corpus.jsonl import read_documents, write_documents, write_json
    stages = ([args.snapshot] if args.snapshot else []) + (args.stage or [])
    if not stages:
        raise ConfigError("no snapshots (fix: give snapshot directories, or --stage SNAPSHOT... once per stage)")
    if args.draft is not None and args.adjudicator is None:
        raise ConfigError("--draft writes the adjudicator's batch file: name the adjudicator (--adjudicator ID)")
    loaded = [load_all_versions(stage, lenient=args.lenient) for stage in stages]
    result = adjudicate_stages(loaded, adjudicator=args.adjudicator, min_annotators=args.min_annotators)
    gold = result.gold
    if args.metadata is not None:
        gold, filled = fill_metadata(gold, read_documents(args.metadata))
        print(f"metadata completed from {args.metadata} for {filled:,} document(s)", file=sys.stderr)
    write_documents(args.out, gold)
    if args.review_out is not None:
        write_json(args.review_out, result.review)
    if args.json and str(args.disputes) == "-":
        raise ConfigError("--disputes - prints the disputes, --json the report: both on standard output (fix: give "
                          "--disputes a file)")
    report = result.report()
    if args.json:
        print_json(report)
    else:
        print(f"{report['gold']:,} gold documents written to {args.out}; statuses: "
              + ", ".join(f"{k} {v:,}" for k, v in sorted(report["statuses"].items())))
        if not args.quiet:
            print(table([[d["id"], ", ".join(d["annotators"]), d.get("agreed"), d["disputed"], d["status"]]
                         for d in report["documents"]], ["document", "annotators", "agreed", "disputed", "status"]))
        if args.review_out is not None:
            print(f"{len(result.review):,} review tasks written to {args.review_out} (import them with "
                  "`aqwal annotate push`)")
    if args.disputes is not None or args.draft is not None:
        _write_disputes(args, loaded[-1], {t["data"]["doc_id"] for t in result.review})
    if result.review and args.review_out is None:
        print(f"aqwal: {len(result.review)} document(s) have unresolved disagreements and are not in the gold; "
              "name an adjudicator who annotated them (--adjudicator) or write review tasks (--review-out)",
              file=sys.stderr)
        return 1
    return 0


def _write_disputes(args: argparse.Namespace, versions: dict, disputed: set[str]) -> None:
    """The disputes of the documents under review, readable (--disputes), and the adjudicator's starting batch
    file (--draft): the agreed items of each such document, for the adjudicator to add the decided ones."""
    from aqwal.annotation import batchfile
    from aqwal.annotation.adjudicate import agreed_document, disputes_text
    from aqwal.corpus.errors import ConfigError
    by_doc: dict[str, dict] = {}
    for annotator in sorted(versions):
        for doc in versions[annotator]:
            if doc.id in disputed and annotator != args.adjudicator:
                by_doc.setdefault(doc.id, {})[annotator] = doc
    if args.disputes is not None:
        text = "\n".join(disputes_text(v) for _, v in sorted(by_doc.items()))
        if str(args.disputes) == "-":
            sys.stdout.write(text)
        else:
            from aqwal.corpus.jsonl import atomic_path
            with atomic_path(args.disputes) as tmp:
                tmp.write_text(text, encoding="utf-8")
            print(f"disputes of {len(by_doc):,} document(s) written to {args.disputes}", file=sys.stderr)
    if args.draft is not None:
        batches = {p.name.split(".")[0] for stage in (args.stage or [args.snapshot]) for p in stage}
        if len(batches) != 1:
            raise ConfigError(f"--draft: the snapshots are of batches {sorted(batches)} (fix: adjudicate one batch "
                              "at a time, its snapshots named <batch>.<pass>.<time>)")
        header = batchfile.Header(batchfile.FORMAT, batches.pop(), args.draft.name.split(".")[0], args.adjudicator)
        records = [batchfile.record_of(agreed_document(v)) for _, v in sorted(by_doc.items())]
        batchfile.write(args.draft, header, records)
        print(f"the adjudicator's draft ({len(records):,} documents, agreed items only) written to {args.draft}",
              file=sys.stderr)


def add_adjudicate(sub) -> None:
    p = subcommand(sub, "adjudicate", "merge annotators into gold: agreed items accepted, disagreements "
                   "resolved by an adjudicator's annotation or written as review tasks",
                   "  aqwal annotate adjudicate SNAPSHOT --out gold.jsonl --review-out review.json\n"
                   "  aqwal annotate adjudicate SNAPSHOT --out gold.jsonl --adjudicator lead@example.org\n",
                   _adjudicate)
    p.add_argument("snapshot", type=Path, nargs="*", help="snapshot directories (several: taken together, e.g. "
                   "batches and a second annotation pass), Label Studio JSON exports, or converted "
                   "documents JSONL")
    p.add_argument("--stage", type=Path, nargs="+", action="append", help="the snapshots of a later annotation "
                   "round (repeatable): a document's gold comes from the last stage that holds it, and its "
                   "earlier passes stay listed in its annotations")
    p.add_argument("--out", type=Path, required=True, help="gold documents JSONL to write")
    p.add_argument("--disputes", type=Path, help="write the disputes of the documents under review, readable, "
                   "with their context and every annotator's items ('-': print them after the table)")
    p.add_argument("--draft", type=Path, help="write the adjudicator's starting batch file, <pass>.<adjudicator>"
                   ".jsonl: the agreed items of each document under review (needs --adjudicator)")
    p.add_argument("--quiet", action="store_true", help="no per-document table")
    p.add_argument("--adjudicator", help="annotator id (as in the conversion report) whose annotation resolves "
                   "disagreements")
    p.add_argument("--review-out", type=Path, help="write Label Studio review tasks (JSON) for documents with "
                   "unresolved disagreements")
    p.add_argument("--min-annotators", type=int, default=2, help="annotators a document needs (default 2)")
    p.add_argument("--metadata", type=Path, help="documents JSONL (e.g. corpus/data/pool.jsonl) whose metadata "
                   "fills fields the tasks did not carry, for the same id and text hash")
    p.add_argument("--lenient", action="store_true", help="go on when some results could not be converted")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def _select(args: argparse.Namespace) -> int:
    from aqwal.annotation.batch import DOCUMENTS, documents, load
    from aqwal.corpus.jsonl import write_documents
    batch = load(args.batch)
    docs = documents(batch)
    path = batch.path / DOCUMENTS
    if args.check:
        from aqwal.annotation.batch import read_documents_of
        written = list(read_documents_of(batch).values())
        if [d.to_dict() for d in written] != [d.to_dict() for d in docs]:
            print(f"aqwal: {path} differs from what {batch.path / 'batch.toml'} selects (fix: run `aqwal annotate "
                  f"select {batch.path}`)", file=sys.stderr)
            return 1
        print(f"{path}: {len(docs):,} documents, as {batch.path / 'batch.toml'} selects")
        return 0
    write_documents(path, docs)
    no_targets = sum(1 for d in docs if not d.targets)
    print(f"{len(docs):,} documents written to {path} ({no_targets:,} without targets)")
    return 0


def add_select(sub) -> None:
    p = subcommand(sub, "select", "write a batch's documents.jsonl: the pool documents its batch.toml selects, "
                   "with their targets",
                   "  aqwal annotate select annotation/batches/batch-005\n"
                   "  aqwal annotate select annotation/batches/batch-005 --check   # documents.jsonl up to date?\n",
                   _select)
    p.add_argument("batch", type=Path, help="batch folder (with batch.toml)")
    p.add_argument("--check", action="store_true", help="only check that documents.jsonl is what the rule selects")


def resolve_batch_file(path: Path):
    """(batch, header, id -> resolved document or None for a skipped one) of a batch file in its folder."""
    from aqwal.annotation import batchfile
    from aqwal.annotation.batch import load, read_documents_of
    from aqwal.corpus.errors import ConfigError
    bfile = batchfile.read(path)
    batch = load(path.parent)
    if bfile.header.batch != batch.name:
        raise ConfigError(f"{path}: its header names batch {bfile.header.batch!r} but it lies in {batch.path} "
                          "(fix: keep a batch file in its batch's folder)")
    pass_ = batch.pass_(bfile.header.pass_)
    if pass_.annotator != bfile.header.annotator:
        raise ConfigError(f"{path}: annotator {bfile.header.annotator!r}, but pass {pass_.name!r} of "
                          f"{batch.name} is {pass_.annotator!r} (fix: correct the header or batch.toml)")
    docs = read_documents_of(batch)
    if pass_.ids is not None:
        docs = {i: docs[i] for i in pass_.ids}
    return batch, bfile.header, batchfile.resolve_file(bfile, docs), docs


def _check(args: argparse.Namespace) -> int:
    from aqwal.annotation.batchfile import iter_view
    batch, header, resolved, docs = resolve_batch_file(args.file)
    if not args.quiet:
        for doc_id, doc in resolved.items():
            if doc is None:
                print(f"=== {doc_id}: skipped")
                continue
            for line in iter_view(doc):
                print(line)
    missing = [i for i in docs if i not in resolved]
    done = [d for d in resolved.values() if d is not None]
    print(f"{args.file}: {len(resolved):,} of {len(docs):,} documents of pass {header.pass_} annotated "
          f"({len(resolved) - len(done):,} skipped): {sum(len(d.entities) for d in done):,} entities, "
          f"{sum(len(d.sources) for d in done):,} sources, {sum(len(d.quotes) for d in done):,} quotations")
    if missing:
        print(f"not annotated yet: {', '.join(missing)}")
    return 0


def add_check(sub) -> None:
    p = subcommand(sub, "check", "check a batch file against its batch's documents: every span found in the "
                   "text, every quotation complete; prints each span with its context",
                   "  aqwal annotate check annotation/batches/batch-005/a.llm-annotator-a.jsonl\n"
                   "  aqwal annotate check annotation/batches/batch-005/a.llm-annotator-a.jsonl --quiet\n", _check)
    p.add_argument("file", type=Path, help="a batch file (<pass>.<annotator>.jsonl in its batch folder)")
    p.add_argument("--quiet", action="store_true", help="print only the summary")


def _load(args: argparse.Namespace) -> int:
    from aqwal.annotation.client import load_annotations
    from aqwal.annotation.passes import titles_for
    from aqwal.annotation.sites import pass_site
    batch, header, resolved, docs = resolve_batch_file(args.file)
    conn = _pass_connection(args, pass_site(batch, header.pass_))
    titles, legacy = titles_for(conn, batch.project(header.pass_),
                                {i: (d, len(docs[i].targets)) for i, d in resolved.items()})
    report: dict = {}
    for title, group in titles.items():
        part = load_annotations(conn, title, header.annotator, group, annotators=args.annotators, legacy=legacy)
        if not report:
            report = {**part, "project": [title]}
        else:
            report["project"].append(title)
            report["created"] += part["created"]
            report["same"] += part["same"]
            report["differs"] += part["differs"]
            report["user_created"] = report["user_created"] or part["user_created"]
    if args.json:
        print_json(report)
    else:
        print(f"project(s) {', '.join(repr(t) for t in report['project'])}, annotator {report['annotator']} "
              f"({report['email']}): {report['created']:,} annotations created, {report['same']:,} already there, "
              f"{len(report['differs']):,} differ from Label Studio")
        for d in report["differs"]:
            print(f"  {d['id']} (task {d['task']}, annotation {d['annotation']}): " + "; ".join(d["differences"]))
    if report["differs"]:
        print(f"aqwal: {len(report['differs'])} document(s) already have another annotation by "
              f"{header.annotator} in Label Studio; nothing was overwritten (fix: decide in Label Studio, "
              "or correct the batch file to match it)", file=sys.stderr)
        return 1
    return 0


def add_load(sub) -> None:
    p = subcommand(sub, "load", "load a batch file into its pass's Label Studio project as that annotator's "
                   "annotations; an existing annotation is never overwritten (differences are reported)",
                   "  aqwal annotate push annotation/batches/batch-005 --pass a\n"
                   "  aqwal annotate load annotation/batches/batch-005/a.llm-annotator-a.jsonl\n", _load)
    p.add_argument("file", type=Path, help="a batch file (<pass>.<annotator>.jsonl in its batch folder)")
    p.add_argument("--annotators", type=Path, help="annotator registry TSV (default annotation/annotators.tsv)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    _server_options(p, site=False)


def _server_options(p, *, site: bool = True) -> None:
    p.add_argument("--url", help="Label Studio URL (default: the site's server, or $LABEL_STUDIO_URL)")
    p.add_argument("--api-key-file", type=Path, help="file holding the API key, or the server's aqwal-login.json "
                   "(default: the key in $LABEL_STUDIO_API_KEY); never on the command line itself")
    if site:
        p.add_argument("--site", help="the site (one server of `aqwal annotate serve --site NAME`) to use instead "
                       "of --url, e.g. 'review' for review tasks")
    p.add_argument("--sites", type=Path, help="the directory of the sites' data (default: $AQWAL_SITES, else "
                   "$XDG_DATA_HOME/aqwal/sites)")


def _connection(args: argparse.Namespace):
    """--site's server, else --url / $LABEL_STUDIO_URL with its key."""
    from aqwal.annotation.client import connection
    from aqwal.annotation.sites import site_connection
    if getattr(args, "site", None):
        if args.url:
            from aqwal.corpus.errors import ConfigError
            raise ConfigError("--site and --url name two servers (fix: give one)")
        return site_connection(args.site, args.sites)
    return connection(args.url, api_key_file=args.api_key_file)


def _pass_connection(args: argparse.Namespace, site: str):
    """A batch pass's server: its annotator's site, unless --url puts every pass on one server."""
    from aqwal.annotation.client import connection
    from aqwal.annotation.sites import site_connection
    if args.url:
        return connection(args.url, api_key_file=args.api_key_file)
    return site_connection(site, args.sites)


def _serve(args: argparse.Namespace) -> int:
    from aqwal.annotation.server import LabelStudioServer, default_data_dir, serve
    from aqwal.annotation.sites import site_dir
    from aqwal.corpus.errors import ConfigError
    if args.site and args.data_dir:
        raise ConfigError("--site and --data-dir both name where the data is (fix: give one)")
    if args.port is not None and len(args.site or []) > 1:
        raise ConfigError("--port goes with one server; each site remembers its own port (fix: start that site "
                          "alone with --port to move it)")
    if len(set(args.site or [])) != len(args.site or []):
        raise ConfigError("a site is given twice (fix: name each site once)")
    places = [(site_dir(name, args.sites), name) for name in args.site] if args.site else \
        [(args.data_dir or default_data_dir(), None)]
    servers = [LabelStudioServer(path, port=args.port, name=name) for path, name in places]
    return serve(servers, timeout=args.timeout)


def add_serve(sub) -> None:
    p = subcommand(sub, "serve", "run local Label Studio servers for annotators (127.0.0.1, persistent SQLite "
                   "data, no outbound calls) until Ctrl-C; prints each URL, admin login and invitation link",
                   "  aqwal annotate serve --site llm-annotator-a --site llm-annotator-b --site review\n"
                   "  aqwal annotate serve                          # one server, data in ~/.local/share/aqwal/label-studio\n"
                   "  aqwal annotate serve --data-dir /srv/aqwal-ls --port 8080\n", _serve)
    p.add_argument("--site", action="append", help="serve this site: the server of one annotator (a batch's pass "
                   "goes to its annotator's site) or of the adjudicators ('review'); repeatable")
    p.add_argument("--sites", type=Path, help="the directory of the sites' data (default: $AQWAL_SITES, else "
                   "$XDG_DATA_HOME/aqwal/sites)")
    p.add_argument("--data-dir", type=Path, help="serve one server from this directory instead of a site (default: "
                   "$XDG_DATA_HOME/aqwal/label-studio)")
    p.add_argument("--port", type=int, help="port on 127.0.0.1 (default: the one the data directory remembers, "
                   "else a free one, then remembered)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the server to come up")


def _push(args: argparse.Namespace) -> int:
    from aqwal.annotation import passes
    from aqwal.annotation.client import document_tasks, review_tasks
    from aqwal.corpus.errors import ConfigError
    jobs = []  # (connection, base title, tasks, warnings)
    if args.input.is_dir():
        from aqwal.annotation.batch import DOCUMENTS, load
        from aqwal.annotation.sites import pass_site
        batch = load(args.input)
        if args.project is not None or args.site is not None:
            raise ConfigError("a batch's passes have their projects and sites (fix: leave out --project and "
                              "--site; each pass goes to 'Aqwal <batch> <pass>' on its annotator's site)")
        for name in [args.pass_] if args.pass_ else list(batch.passes):
            ids = batch.pass_(name).ids
            tasks, warnings = document_tasks(args.input / DOCUMENTS, args.predictions, args.model_version, only=ids)
            jobs.append((_pass_connection(args, pass_site(batch, name)), batch.project(name), tasks,
                         warnings if not jobs else []))
    elif args.pass_ is not None:
        raise ConfigError("--pass goes with a batch folder (fix: give annotation/batches/<batch>)")
    else:
        if args.project is None:
            raise ConfigError("no project (fix: pass --project TITLE, or give a batch folder)")
        if args.input.name.endswith(".json"):
            if args.predictions is not None:
                raise ConfigError("--predictions goes with documents (.jsonl), not with review tasks (.json)")
            tasks, warnings = review_tasks(args.input), []
        else:
            tasks, warnings = document_tasks(args.input, args.predictions, args.model_version)
        jobs.append((_connection(args), args.project, tasks, warnings))
    reports = []
    for conn, base, tasks, warnings in jobs:
        parts = passes.push(conn, base, tasks, batch_size=args.batch_size, overlap=args.annotators, progress=True)
        parts[0].warnings.extend(warnings)
        reports.extend((conn, r) for r in parts)
    if args.json:
        print_json([{**r.to_dict(), "server": conn.url} for conn, r in reports])
        return 0
    for conn, report in reports:
        state = ("created" if report.project.created else "config updated" if report.project.config_updated
                 else "made before projects were split by targets" if report.project.legacy else "up to date")
        print(f"project {report.project.title!r} on {conn.url} (id {report.project.id}, {state}): "
              f"{report.imported:,} tasks imported, {report.already_there:,} already there")
        if report.predictions_added or report.predictions_skipped:
            print(f"  pre-annotations on tasks already there: {report.predictions_added:,} added, "
                  f"{report.predictions_skipped:,} already present")
        for w in report.warnings:
            print(f"aqwal: warning: {w}", file=sys.stderr)
    return 0


def add_push(sub) -> None:
    p = subcommand(sub, "push", "create or update Label Studio projects and import documents as tasks (with "
                   "optional pre-annotations), or import review tasks; documents go to the project of their number "
                   "of targets ('<title> · 2 targets'); pushing twice adds nothing",
                   "  aqwal annotate push annotation/batches/batch-005          # every pass, each on its annotator's site\n"
                   "  aqwal annotate push annotation/batches/batch-005 --pass b  # 'Aqwal batch-005 b · ...' on b's site\n"
                   "  aqwal annotate push review.json --project 'Aqwal batch-005 review' --site review\n"
                   "  aqwal annotate push docs.jsonl --project 'Aqwal trial' --url http://127.0.0.1:8080 "
                   "--predictions pred.jsonl --model-version rules@0.1\n",
                   _push)
    p.add_argument("input", type=Path, help="a batch folder (its passes), documents JSONL (.jsonl / .jsonl.gz), or "
                   "review tasks (.json) written by `aqwal annotate adjudicate --review-out`")
    p.add_argument("--project", help="project title for documents or review tasks (a batch's are 'Aqwal <batch> "
                   "<pass>'); each number of targets gets '<title> · <k> targets'")
    p.add_argument("--pass", dest="pass_", help="push only this pass of the batch (default: every pass)")
    p.add_argument("--predictions", type=Path, help="a system's predictions JSONL (submission format) to show "
                   "as pre-annotations (spans and links; kind and stance are left to the annotator)")
    p.add_argument("--model-version", help="NAME@VERSION of the system that made --predictions (default: the "
                   "system named in the predictions' header line, as `aqwal run` writes it)")
    p.add_argument("--batch-size", type=int, default=200, help="tasks per import request (default 200)")
    p.add_argument("--annotators", type=int, default=1, help="annotations wanted per task (default 1: a second "
                   "annotator works in a pass of their own)")
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    _server_options(p)


def _pull(args: argparse.Namespace) -> int:
    from aqwal.annotation import passes
    from aqwal.annotation.snapshot import pull, verify
    from aqwal.corpus.errors import ConfigError
    jobs = []  # (connection, base title)
    if args.batch is not None:
        from aqwal.annotation.batch import load
        from aqwal.annotation.sites import pass_site
        batch = load(args.batch)
        if args.project is not None or args.site is not None:
            raise ConfigError("a batch's passes have their projects and sites (fix: leave out --project and --site)")
        for name in [args.pass_] if args.pass_ else list(batch.passes):
            jobs.append((_pass_connection(args, pass_site(batch, name)), batch.project(name)))
    elif args.project is None:
        raise ConfigError("nothing to pull (fix: give a batch folder, or --project TITLE)")
    elif args.pass_ is not None:
        raise ConfigError("--pass goes with a batch folder (fix: give annotation/batches/<batch>)")
    else:
        jobs.append((_connection(args), args.project))
    out = []
    for conn, base in jobs:
        found = passes.projects(conn, base)
        if not found:
            raise ConfigError(f"Label Studio at {conn.url} has no project {base!r} nor '{base} · <k> targets' (fix: "
                              "check the title; `aqwal annotate push` creates them)")
        for project in found:
            path = pull(conn, project.title, args.out, attempts=args.attempts,
                        log=lambda msg: print(f"aqwal: {msg}", file=sys.stderr))
            out.append((path, verify(path)))
    if args.json:
        print_json([{"snapshot": str(path), **manifest} for path, manifest in out])
        return 0
    for path, manifest in out:
        c = manifest["counts"]
        print(f"snapshot {path}: {c['tasks']:,} tasks, {c['annotations']:,} annotations by {c['annotators']:,} "
              f"annotators ({c['cancelled']:,} cancelled, {c['drafts']:,} drafts), {c['predictions']:,} "
              f"predictions; export sha256 {manifest['files']['export.json']['sha256']}")
    return 0


def add_pull(sub) -> None:
    p = subcommand(sub, "pull", "save projects' full JSON exports as new immutable snapshots (export.json + "
                   "manifest.json with sha256) before anything converts them: every project of a batch's passes, "
                   "or of a title",
                   "  aqwal annotate pull annotation/batches/batch-005 --out annotation/snapshots   # every pass\n"
                   "  aqwal annotate pull --project 'Aqwal batch-005 review' --site review --out annotation/snapshots\n"
                   "  aqwal annotate convert annotation/snapshots/batch-005.a.t1.2026-01-05T10-00-00Z --out docs.jsonl\n",
                   _pull)
    p.add_argument("batch", type=Path, nargs="?", help="a batch folder: pull every project of its passes, each "
                   "from its annotator's site")
    p.add_argument("--pass", dest="pass_", help="pull only this pass of the batch")
    p.add_argument("--project", help="project title: that project, and those of '<title> · <k> targets'")
    p.add_argument("--out", type=Path, required=True, help="directory of snapshots; each pull adds one per project")
    p.add_argument("--attempts", type=int, default=5, help="tries of the export before giving up (default 5)")
    p.add_argument("--json", action="store_true", help="print the manifests as JSON")
    _server_options(p)


SUBCOMMANDS = [add_config, add_serve, add_select, add_push, add_check, add_load, add_pull, add_convert,
               add_adjudicate]


def register(sub) -> None:
    annotate = group(sub, "annotate", "annotation in Label Studio: config, serve, select, push, check, load, pull, convert, adjudicate")
    for add in SUBCOMMANDS:
        add(annotate)
