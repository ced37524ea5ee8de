"""An external system: any command that reads documents JSONL on stdin and writes predictions on stdout.

Input, one line per document: ``{"id", "text", "targets": [{"id", "text"}]}`` (plus ``"quotes":
[{"start", "end"}]`` in stance mode).  Output, one line per document, in any order: a prediction record of
the submission format.  The process's stderr is passed through to the error message when it fails; a bad
output line is reported by its number, with what is wrong in it.
"""
from __future__ import annotations

import collections
import json
import shlex
import subprocess
import threading
from collections.abc import Iterable, Iterator

from aqwal.benchmark.systems.protocol import DocumentView, check_record
from aqwal.corpus.errors import ConfigError, InvalidData, ServiceError
from aqwal.corpus.jsonl import dumps

STDERR_TAIL = 20


class ExternalSystemError(ServiceError):
    """The external command failed or wrote output that is not a valid prediction."""


class External:
    def __init__(self, command: str, name: str = "external", version: str = "0.0.0",
                 timeout: float | None = None):
        self.argv = shlex.split(command)
        if not self.argv:
            raise ConfigError("--command is empty (fix: give the command that runs your system)")
        self.command, self.name, self.version, self.timeout = command, name, version, timeout

    def predict(self, doc: DocumentView) -> dict:
        return next(iter(self.predict_many([doc])))

    def predict_many(self, docs: Iterable[DocumentView]) -> Iterator[dict]:
        """Prediction records as the command writes them (any order); every document exactly once."""
        docs = list(docs)
        by_id = {d.id: d for d in docs}
        try:
            proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, encoding="utf-8", errors="strict")
        except (FileNotFoundError, PermissionError) as err:
            raise ConfigError(f"cannot start the external system {self.command!r}: {err.strerror} "
                              "(fix: check the command and that it is executable)") from None
        tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL)
        timed_out = threading.Event()
        threads = [threading.Thread(target=_feed, args=(proc, docs), daemon=True),
                   threading.Thread(target=_drain, args=(proc, tail), daemon=True)]
        for th in threads:
            th.start()
        timer = None
        if self.timeout:
            timer = threading.Timer(self.timeout, lambda: (timed_out.set(), proc.kill()))
            timer.start()
        seen: set[str] = set()
        try:
            for n, line in enumerate(_lines(proc, self._fail, tail), 1):
                if not line.strip():
                    continue
                yield self._parse(line, n, by_id, seen, tail)
            status = proc.wait()
            threads[1].join()
            if timed_out.is_set():
                raise self._fail(f"was stopped after {self.timeout:g} s (--timeout)", tail)
            if status != 0:
                raise self._fail(f"exited with status {status}", tail)
            missing = [d.id for d in docs if d.id not in seen]
            if missing:
                raise self._fail(f"wrote {len(seen)} predictions for {len(docs)} documents; none for "
                                 f"{', '.join(map(repr, missing[:5]))}{' ...' if len(missing) > 5 else ''} "
                                 "(fix: write one line per input document)", tail)
        finally:
            if timer:
                timer.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                stream.close()

    def _parse(self, line: str, n: int, by_id: dict, seen: set, tail) -> dict:
        where = f"line {n} of the output of {self.command!r}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            raise self._fail(f"line {n} of its output is not JSON ({err.msg} at column {err.colno}): "
                             f"{line.rstrip()[:120]!r} "
                             "(fix: write one JSON object per line and nothing else on stdout)", tail) from None
        doc_id = rec.get("id") if isinstance(rec, dict) else None
        if doc_id not in by_id:
            raise self._fail(f"line {n} of its output has id {doc_id!r}, not one of the documents sent "
                             "(fix: copy each input line's id)", tail)
        if doc_id in seen:
            raise self._fail(f"line {n} of its output predicts document {doc_id!r} a second time (fix: one line per document)",
                             tail)
        seen.add(doc_id)
        try:
            check_record(by_id[doc_id], rec, where)
        except InvalidData as err:
            raise ExternalSystemError(f"the external system wrote an invalid prediction:\n{err}") from None
        return rec

    def _fail(self, what: str, tail) -> ExternalSystemError:
        stderr = "".join(tail).rstrip()
        shown = f"\nlast lines of its stderr:\n{stderr}" if stderr else "\n(its stderr was empty)"
        return ExternalSystemError(f"the external system {self.command!r}: {what}{shown}")


def _feed(proc: subprocess.Popen, docs: list[DocumentView]) -> None:
    try:
        for doc in docs:
            proc.stdin.write(dumps(doc.to_dict()) + "\n")
        proc.stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass  # the process stopped reading; its exit status and stderr say why


def _drain(proc: subprocess.Popen, tail: collections.deque) -> None:
    for line in proc.stderr:
        tail.append(line)


def _lines(proc: subprocess.Popen, fail, tail) -> Iterator[str]:
    n = 0
    while True:
        try:
            line = proc.stdout.readline()
        except UnicodeDecodeError as err:
            raise fail(f"wrote output that is not UTF-8 after line {n} ({err.reason}) "
                       "(fix: write UTF-8 JSON lines)", tail) from None
        if not line:
            return
        n += 1
        yield line
