"""An outbox (SMS or email) is shared by every worker process of an example: no line may be torn."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from core.outbox import append_line

WRITERS, LINES_EACH = 8, 200


def _write_many(path: str, writer: int) -> None:
    for n in range(LINES_EACH):
        append_line(path, json.dumps({"writer": writer, "n": n, "padding": "x" * 3000}))


def test_concurrent_processes_append_whole_lines(tmp_path: Path) -> None:
    path = str(tmp_path / "outbox.jsonl")
    processes = [
        multiprocessing.get_context("spawn").Process(target=_write_many, args=(path, w))
        for w in range(WRITERS)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join()

    lines = Path(path).read_text().splitlines()
    records = [json.loads(line) for line in lines]  # a torn line would not parse
    assert len(records) == WRITERS * LINES_EACH
    assert {(r["writer"], r["n"]) for r in records} == {
        (w, n) for w in range(WRITERS) for n in range(LINES_EACH)
    }


def test_the_outbox_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"

    append_line(str(path), "{}")

    assert path.stat().st_mode & 0o077 == 0
