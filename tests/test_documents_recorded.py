"""Behaviour kept: the handouts (export), the sheets and keys (exercise) and the Export tab's sheet
and key are byte for byte what the code wrote before handouts, sheets and keys became one document
model (recorded by ``tests/data/record_documents.py`` from main at 13ca83d, before the change)."""

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
spec = importlib.util.spec_from_file_location("record_documents", DATA / "record_documents.py")
record = importlib.util.module_from_spec(spec)
spec.loader.exec_module(record)

with gzip.open(DATA / "documents.json.gz", "rt", encoding="utf-8") as f:
    RECORDED = json.load(f)


def test_every_case_was_recorded():
    assert len(RECORDED["export"]) == len(record.EXPORTS) * 3 == 12
    assert len(RECORDED["exercise"]) == len(record.EXERCISES) * 3 == 9
    assert len(RECORDED["network"]) == len(record.NETWORKS) == 3


@pytest.mark.parametrize("fmt", record.FORMATS)
@pytest.mark.parametrize("argv", record.EXPORTS, ids=" ".join)
def test_handouts_are_as_recorded(argv, fmt, capsys):
    assert record.export_case(argv, fmt) == RECORDED["export"][" ".join(argv) + f" | {fmt}"]


@pytest.mark.parametrize("fmt", record.FORMATS)
@pytest.mark.parametrize("argv", record.EXERCISES, ids=" ".join)
def test_sheets_and_keys_are_as_recorded(argv, fmt, capsys):
    files = record.exercise_case(argv, fmt)
    recorded = RECORDED["exercise"][" ".join(argv) + f" | {fmt}"]
    assert list(files) == list(recorded) and len(files) == 4
    for name in files:
        assert files[name] == recorded[name], name


@pytest.mark.parametrize("network", record.NETWORKS, ids=repr)
def test_the_export_tabs_sheet_and_key_are_as_recorded(network):
    assert record.network_case(*network) == RECORDED["network"][repr(network)]
