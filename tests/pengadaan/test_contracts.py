"""The column contract of each kind (DESIGN §8) is the one list its import, template, LKPP export,
record export and person's form take their columns from."""

from __future__ import annotations

import pytest

from pengadaan import forms, services
from pengadaan.exports import lkpp as lkpp_export
from pengadaan.exports.pencatatan import PENCATATAN_COLUMNS
from pengadaan.imports import kinds
from pengadaan.imports.contracts import CONTRACTS, NONTENDER, SWAKELOLA
from pengadaan.models import ImportJob, Pencatatan
from pengadaan.models.pencatatan import gabung_kd_rup


def model_fields(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def test_contract_kinds_are_the_import_job_kinds():
    assert tuple(CONTRACTS) == tuple(ImportJob.Jenis.values)


@pytest.mark.parametrize("kind", list(CONTRACTS))
def test_contract_columns_name_fields_of_their_model(kind):
    contract = CONTRACTS[kind]
    names = [c.name for c in contract.columns]
    assert len(names) == len(set(names))
    assert set(contract.key) <= set(names)
    fields = {c.field for c in contract.columns} - {None}
    assert fields - model_fields(contract.model) == set()


@pytest.mark.parametrize("kind", list(CONTRACTS))
def test_import_updates_only_fields_of_its_model(kind):
    handler = kinds.HANDLERS[kind]()
    assert set(handler.FIELDS) - model_fields(CONTRACTS[kind].model) == set()
    assert set(CONTRACTS[kind].fields) <= set(handler.FIELDS)


@pytest.mark.parametrize("kind", list(CONTRACTS))
def test_lkpp_export_writes_the_contract_columns_in_order(kind):
    assert [c.header for c in lkpp_export.columns_for(kind)] == [c.name for c in CONTRACTS[kind].columns]


def test_record_export_uses_lkpp_names_of_pencatatan():
    lkpp_names = {c.name for contract in (NONTENDER, SWAKELOLA) for c in contract.columns}
    own = {"kd_satker", "nama_satker", "jenis_pencatatan", "total_realisasi", "status"}
    assert {c.header for c in PENCATATAN_COLUMNS} - own <= lkpp_names


def test_person_edits_only_fields_of_pencatatan():
    assert set(services.PENCATATAN_FIELDS) <= model_fields(Pencatatan)
    assert set(forms.NON_TENDER_ONLY) == {"kategori_pengadaan", "mtd_pemilihan", "bukti_pembayaran", "kd_nontender_pct"}
    assert set(forms.SWAKELOLA_ONLY) == {"tipe_swakelola", "pelaksana_swakelola", "kd_swakelola_pct"}


def test_gabung_kd_rup_sorts_codes_ascending():
    assert gabung_kd_rup([48120335, 9, 48120334]) == "9;48120334;48120335"
    assert gabung_kd_rup([2, 1], sort=False) == "2;1"
    assert gabung_kd_rup([]) == ""
