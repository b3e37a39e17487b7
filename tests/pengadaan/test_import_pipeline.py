"""Issue 16: the import pauses Python's automatic garbage collector and collects the young generations
once per chunk; the collector must be back on after every import, written, rolled back or failed, and
a reference cycle a chunk leaves must still be freed."""

from __future__ import annotations

import gc
import weakref

import pytest

from pengadaan.imports import pipeline
from pengadaan.imports.kinds import HANDLERS
from pengadaan.models import Pencatatan
from tests.factories import OpdFactory
from tests.pengadaan.test_import_copy import HEADER, ROW_A, ROW_B
from tests.pengadaan.test_imports import xlsx


@pytest.fixture
def setup(db):
    return OpdFactory(kd_satker="60412", kd_satker_str="4.01.0.00.0.00.24.0000", kd_satker_spse=None)


def test_the_collector_is_back_on_after_a_written_and_a_rolled_back_import(setup, admin):
    assert gc.isenabled()
    outcome = pipeline.run("nontender", xlsx(HEADER, [ROW_A]), "nt.xlsx", user=admin)
    assert (outcome.written, gc.isenabled()) == (True, True)
    bad = [*ROW_B]
    bad[HEADER.index("pagu")] = "-5"
    outcome = pipeline.run("nontender", xlsx(HEADER, [bad]), "nt.xlsx", user=admin)
    assert (outcome.written, gc.isenabled()) == (False, True)


def test_the_collector_is_back_on_after_a_failed_import_and_a_cycle_left_by_a_chunk_is_freed(setup, admin, monkeypatch):
    class Node:
        pass

    left: list[weakref.ref] = []
    make = HANDLERS["nontender"]

    def leaving_a_cycle():
        handler = make()
        write = handler.write

        def write_then_fail(rows, ctx):
            node = Node()
            node.self = node  # only the cyclic collector can free it
            left.append(weakref.ref(node))
            write(rows, ctx)
            raise RuntimeError("disk full")

        handler.write = write_then_fail
        return handler

    monkeypatch.setitem(HANDLERS, "nontender", leaving_a_cycle)
    with pytest.raises(RuntimeError, match="disk full"):
        pipeline.run("nontender", xlsx(HEADER, [ROW_A]), "nt.xlsx", user=admin)
    assert gc.isenabled()
    assert Pencatatan.objects.count() == 0  # the transaction was rolled back
    gc.collect()
    assert left[0]() is None


def test_a_cycle_made_in_one_chunk_is_freed_by_the_next_chunk(setup, admin, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 1)

    class Node:
        pass

    seen: list[weakref.ref] = []
    alive_during_second_chunk: list[bool] = []
    make = HANDLERS["nontender"]

    def recording():
        handler = make()
        resolve = handler.resolve

        def resolve_and_leave_a_cycle(rows, ctx):
            if seen:
                alive_during_second_chunk.append(seen[0]() is not None)
            node = Node()
            node.self = node
            seen.append(weakref.ref(node))
            resolve(rows, ctx)

        handler.resolve = resolve_and_leave_a_cycle
        return handler

    monkeypatch.setitem(HANDLERS, "nontender", recording)
    outcome = pipeline.run("nontender", xlsx(HEADER, [ROW_A, ROW_B]), "nt.xlsx", user=admin)
    assert (outcome.created, alive_during_second_chunk) == (2, [False])
