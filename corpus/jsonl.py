"""JSON Lines in and out: streamed, every error placed at its file and line, writes atomic."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import msgspec

from aqwal.corpus.errors import FormatError, InvalidData, Problem
from aqwal.corpus.model import Document

MAX_PROBLEMS = 200


BLOCK_BYTES = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
_BOMS = ((b"\xef\xbb\xbf", "a UTF-8 byte order mark", "save it as UTF-8 without a byte order mark"),
         (b"\xff\xfe", "a UTF-16 byte order mark: the file is UTF-16", "save it as UTF-8"),
         (b"\xfe\xff", "a UTF-16 byte order mark: the file is UTF-16", "save it as UTF-8"))


def check_input_file(path: str | Path, *, what: str = "file", if_empty: str = "write one JSON object per line",
                     suffixes: tuple[str, ...] = (".jsonl", ".jsonl.gz")) -> None:
    """FormatError, naming the file and what to do, when ``path`` is missing, a directory or empty (0
    bytes); ``what`` says what was expected (``submission file``, ``gold file``), ``if_empty`` the fix for
    an empty file; a directory's files ending in ``suffixes`` are suggested."""
    path = Path(path)
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.name.endswith(suffixes))[:5]
        hint = f"e.g. {path / inside[0]}" if inside else "not the folder that holds it"
        raise FormatError(f"{path}: is a directory, not a {what} (fix: give the file itself, {hint})")
    if not path.is_file():
        raise FormatError(f"{path}: no such file (fix: check the path)")
    if path.stat().st_size == 0:
        raise FormatError(f"{path}: is empty (0 bytes) (fix: {if_empty})")


def check_start(path: Path, head: bytes, gz: bool, gz_readable: bool = True, utf8_bom_ok: bool = False) -> None:
    """FormatError for a file whose first bytes say it cannot be read as UTF-8 text (lines); ``gz_readable``:
    whether a name ending in .gz would be read as gzip; ``utf8_bom_ok``: the reader skips a UTF-8 BOM."""
    if not gz and head.startswith(GZIP_MAGIC):
        if not gz_readable:
            raise FormatError(f"{path}: is gzip-compressed (fix: decompress it: gunzip -c FILE > {path.name})")
        raise FormatError(f"{path}: is gzip-compressed but its name does not end in .gz (fix: rename it to "
                          f"{path.name}.gz, which is read as gzip, or decompress it)")
    for bom, what, fix in _BOMS[utf8_bom_ok:]:
        if head.startswith(bom):
            raise FormatError(f"{path}:1: starts with {what} (fix: {fix})")


def iter_blocks(path: str | Path, size: int = BLOCK_BYTES) -> Iterator[tuple[int, bytes]]:
    """(number of its first line, bytes) for blocks of whole lines of about ``size`` bytes (gzip when the
    name ends in .gz); FormatError names the file and line when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        check_input_file(path)
    gz = path.suffix == ".gz"
    with open(path, "rb") as raw:
        magic = raw.read(len(GZIP_MAGIC))
    if gz and magic and magic != GZIP_MAGIC:
        raise FormatError(f"{path}: its name ends in .gz but it is not gzip-compressed (fix: rename it "
                          f"without .gz, or compress it with gzip)")
    line_no, rest, first = 1, b"", True
    with gzip.open(path, "rb") if gz else open(path, "rb") as handle:
        try:
            while chunk := handle.read(size):
                if first:
                    check_start(path, chunk, gz)
                    first = False
                cut = chunk.rfind(b"\n") + 1
                if not cut:
                    rest += chunk
                    continue
                block, rest = rest + chunk[:cut], chunk[cut:]
                yield line_no, block
                line_no += block.count(b"\n")
        except (OSError, EOFError) as err:  # a truncated or corrupt .gz
            raise FormatError(f"{path}:{line_no}: cannot be read ({err}) (fix: re-create the file)") from None
    if rest:
        yield line_no, rest


def iter_lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes) for each non-blank line."""
    for first, block in iter_blocks(path):
        for line_no, line in enumerate(block.split(b"\n"), first):
            if line and not line.isspace():
                yield line_no, line


def iter_typed(path: str | Path, decoder: msgspec.json.Decoder) -> Iterator[tuple[int, Any, bytes | None]]:
    """(line number, value, None) for each non-blank line ``decoder`` accepts, (line number, None, raw line)
    for each it refuses.  Blocks of lines are decoded at once; a block with a refused or blank line is
    decoded again line by line."""
    for first, block in iter_blocks(path):
        try:
            values = decoder.decode_lines(block)
        except (msgspec.ValidationError, msgspec.DecodeError):
            values = None
        if values is not None and len(values) == block.count(b"\n") + (not block.endswith(b"\n")):
            yield from ((line_no, value, None) for line_no, value in enumerate(values, first))
            continue
        for line_no, line in enumerate(block.split(b"\n"), first):
            if line and not line.isspace():
                try:
                    yield line_no, decoder.decode(line), None
                except (msgspec.ValidationError, msgspec.DecodeError):
                    yield line_no, None, line


def not_utf8(path: str | Path, line_no: int, err: UnicodeDecodeError) -> FormatError:
    """The error of a line that is not UTF-8 (``err`` from decoding that line): its line, the column (in
    characters) of the first bad byte, and the byte."""
    data = bytes(err.object)
    column = len(data[:err.start].decode("utf-8", errors="replace")) + 1
    return FormatError(f"{path}:{line_no}: not UTF-8: byte 0x{data[err.start]:02x} at column {column} "
                       f"({err.reason}) (fix: re-save the file as UTF-8)")


def loads_line(path: str | Path, line_no: int, line: bytes) -> Any:
    """The JSON value of one line of ``path``; FormatError when it is not UTF-8, ``json.JSONDecodeError``
    when it is not JSON."""
    try:
        return json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise not_utf8(path, line_no, err) from None


def iter_json_lines(path: str | Path, on_bad_json: Callable[[int, str], None] | None = None
                    ) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line; FormatError names the file and line.

    With ``on_bad_json``, a line that is not JSON is reported to it as (line number, reason) and skipped,
    so a validator can list every bad line instead of stopping at the first.
    """
    for line_no, line in iter_lines(path):
        try:
            value = loads_line(path, line_no, line)
        except json.JSONDecodeError as err:
            if on_bad_json is not None:
                on_bad_json(line_no, f"{err.msg} at column {err.colno}")
                continue
            raise FormatError(f"{path}:{line_no}: not valid JSON ({err.msg} at column {err.colno}) "
                              "(fix: one JSON object per line)") from None
        yield line_no, value


def iter_documents(path: str | Path) -> Iterator[Document]:
    """Documents one at a time; the first invalid record raises with its file and line."""
    for line_no, record in iter_json_lines(path):
        try:
            yield Document.from_dict(record)
        except InvalidData as err:
            raise err.located(_where(path, line_no, record)) from None


def read_documents(path: str | Path) -> list[Document]:
    """All documents of a file, or ``InvalidData`` listing every problem in it (up to MAX_PROBLEMS)."""
    docs: list[Document] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for line_no, record in iter_json_lines(path):
        where = _where(path, line_no, record)
        try:
            doc = Document.from_dict(record)
        except InvalidData as err:
            problems.extend(err.located(where).problems)
        else:
            if doc.id in first_line:
                problems.append(Problem(where, "id", f"duplicate document id (first on line {first_line[doc.id]})",
                                        "give each document once"))
            else:
                first_line[doc.id] = line_no
                docs.append(doc)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(str(path), "", f"stopped after {MAX_PROBLEMS} problems", "fix these first"))
            break
    if problems:
        raise InvalidData(problems)
    return docs


def _where(path: str | Path, line_no: int, record: Any) -> str:
    doc_id = record.get("id") if isinstance(record, dict) else None
    return f"{path}:{line_no}" + (f" document {doc_id!r}" if isinstance(doc_id, str) else "")


def dumps(obj: Any) -> str:
    """The canonical JSON line: UTF-8 text as is, keys in the order given, no spaces."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _file_mode() -> int:
    """The mode ``open`` gives a new file (0644 under the usual umask 022); mkstemp's files are 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(path: str | Path):
    """A temporary path beside ``path`` that replaces it only if the block completes; the file gets the mode
    a plain ``open`` would give it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        if os.path.exists(tmp):
            os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_json_lines(path: str | Path, rows: Iterable[Any]) -> int:
    """Write rows atomically (gzip when the name ends in .gz, with a fixed mtime); returns the count."""
    path = Path(path)
    count = 0
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        sink: Any = gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) if path.suffix == ".gz" \
            else handle
        for row in rows:
            sink.write(dumps(row).encode("utf-8") + b"\n")
            count += 1
        if sink is not handle:
            sink.close()  # writes the gzip trailer; the file itself closes with the block
    return count


def read_json(path: str | Path, *, fix: str) -> Any:
    """A whole JSON file; FormatError names the file (and the line and column where there is one) and says
    ``fix`` when it is missing, a directory, compressed, not UTF-8 or not JSON."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file (fix: {fix})") from None
    except IsADirectoryError:
        raise FormatError(f"{path}: is a directory, not a JSON file (fix: {fix})") from None
    check_start(path, data[:4], gz=False, gz_readable=False)
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        newline = b"\n"
        line_start = data.rfind(newline, 0, err.start) + 1
        line = data.count(newline, 0, err.start) + 1
        column = len(data[line_start:err.start].decode("utf-8", errors="replace")) + 1
        raise FormatError(f"{path}:{line}: not UTF-8: byte 0x{data[err.start]:02x} at column {column} "
                          f"({err.reason}) (fix: {fix})") from None
    except json.JSONDecodeError as err:
        raise FormatError(f"{path}:{err.lineno}: not valid JSON ({err.msg} at line {err.lineno}, column "
                          f"{err.colno}) (fix: {fix})") from None


def write_json(path: str | Path, obj: Any, *, indent: int = 1) -> None:
    """``obj`` as UTF-8 JSON (non-ASCII kept), written atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


def content_hash(docs: Iterable[Document]) -> str:
    """sha256 over the canonical JSON lines of the documents sorted by id: identifies a set of documents
    whatever holds them (a JSONL file, a release's Parquet), unchanged by library upgrades."""
    ordered = sorted(docs, key=lambda d: d.id)
    return hash_blocks(dumps(doc.to_dict()).encode("utf-8") + b"\n" for doc in ordered)


def hash_blocks(blocks: Iterable[bytes]) -> str:
    """sha256 over canonical JSON lines, given in blocks of whole lines (each line ending in a newline)."""
    digest = hashlib.sha256()
    for block in blocks:
        digest.update(block)
    return digest.hexdigest()


def write_documents(path: str | Path, docs: Iterable[Document]) -> int:
    return write_json_lines(path, (d.to_dict() for d in docs))
