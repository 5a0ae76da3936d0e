"""Tiny labelled sets (data/README.md layout) written to a folder for command tests."""

import json


def write_labelled_set(folder, *, needs: list, candidates: list, qrels: list) -> None:
    for name, rows in {
        "needs.jsonl": needs,
        "candidates.jsonl": candidates,
        "qrels.jsonl": qrels,
    }.items():
        (folder / name).write_text("\n".join(json.dumps(r) for r in rows) + "\n")
