"""Demo OPDs (Kota Tangerang, from `opd/data/opd-kota-tangerang.csv`) and one demo user per role."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from opd.models import Opd, Peran, User

DATA_FILE = Path(__file__).parent / "data" / "opd-kota-tangerang.csv"
DEMO_PASSWORD = "tangerang-demo-2026"  # noqa: S105 -- printed for the demo on purpose; seed_demo refuses DEBUG=False

JENIS = {
    "Sekretariat": Opd.Jenis.SEKRETARIAT,
    "Inspektorat": Opd.Jenis.INSPEKTORAT,
    "Badan": Opd.Jenis.BADAN,
    "Dinas": Opd.Jenis.DINAS,
    "Kantor": Opd.Jenis.KANTOR,
    "Satuan": Opd.Jenis.SATUAN,
    "Kecamatan": Opd.Jenis.KECAMATAN,
    "RSUD/BLUD": Opd.Jenis.RSUD,
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    nama: str
    peran: str
    singkatan: str | None  # OPD short name; None for city roles
    nip: str = ""


DEMO_USERS = (
    DemoUser("admin", "Administrator Sistem", Peran.ADMIN, None),
    DemoUser("pengawas", "Rina Pengawas (Bagian PBJ)", Peran.PENGAWAS, None),
    DemoUser("operator.disdik", "Andi Operator Disdik", Peran.OPERATOR, "Disdik"),
    DemoUser("pptk.disdik", "Budi PPTK Disdik", Peran.PPTK, "Disdik", "198501012010011001"),
    DemoUser("ppk.disdik", "Citra PPK Disdik", Peran.PPK, "Disdik", "198203152006042002"),
    DemoUser("operator.dinkes", "Dedi Operator Dinkes", Peran.OPERATOR, "Dinkes"),
    DemoUser("ppk.dinkes", "Eka PPK Dinkes", Peran.PPK, "Dinkes", "197911202005011003"),
)


def demo_opd_rows() -> list[dict[str, str]]:
    """The 43 OPDs with the demo codes they get (the CSV has no official codes)."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {
            "kd_satker": str(60401 + i),
            "kd_satker_str": f"4.01.0.00.0.00.{i + 1:02d}.0000",
            "kd_satker_spse": str(16203001 + i),
            "nama_satker": row["nama_satker"],
            "singkatan": row["singkatan"],
            "jenis": JENIS.get(row["jenis"], Opd.Jenis.LAINNYA),
        }
        for i, row in enumerate(rows)
    ]


@transaction.atomic
def seed_opd_and_users() -> list[DemoUser]:
    """Create or update the demo OPDs and users; idempotent. Returns the demo users.

    Side effects: writes OPDs and users; resets the demo users' password to DEMO_PASSWORD.
    """
    for row in demo_opd_rows():
        Opd.objects.update_or_create(kd_satker=row.pop("kd_satker"), defaults=row)
    by_short = {o.singkatan: o for o in Opd.objects.all()}
    for demo in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "nama": demo.nama,
                "peran": demo.peran,
                "opd": by_short[demo.singkatan] if demo.singkatan else None,
                "nip": demo.nip,
                "email": f"{demo.username}@demo.tangerangkota.go.id",
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return list(DEMO_USERS)
