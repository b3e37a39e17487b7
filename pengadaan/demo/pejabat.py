"""The people named on the demo's rows: each OPD's PPK, and the demo users who record and supervise.

Where `opd.demo` made a demo PPK for an OPD, its packages name that user; the other OPDs get a
made-up PPK with a plausible NIP, so that every RUP package and record has one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from opd.models import Opd, Peran, User

NAMA_DEPAN = (
    "Agus", "Bambang", "Dewi", "Eko", "Fitri", "Hendra", "Indah", "Joko", "Kurniawati", "Lukman", "Maya", "Nurul",
    "Rahmat", "Siti", "Taufik", "Wahyu", "Yuliani", "Zainal", "Ahmad", "Sri", "Dian", "Rudi", "Asep", "Nining",
)  # fmt: skip
NAMA_BELAKANG = (
    "Santoso", "Pratama", "Hidayat", "Saputra", "Lestari", "Wibowo", "Kusuma", "Rahmawati", "Setiawan", "Nugroho",
    "Suryadi", "Permana", "Hasanah", "Firmansyah", "Maulana", "Sulaeman", "Ramdani", "Fauziah",
)  # fmt: skip
GELAR = (
    "S.T.",
    "S.E.",
    "S.Sos.",
    "S.Kom.",
    "S.H.",
    "S.Pd.",
    "S.K.M.",
    "S.AP.",
    "S.T., M.T.",
    "S.E., M.M.",
    "S.Sos., M.Si.",
)


@dataclass(frozen=True)
class Ppk:
    """The PPK written on an OPD's packages; `user` is set when a demo user plays that role."""

    nip: str
    nama: str
    user: User | None = None


def pengguna_demo() -> dict[str, User]:
    """The demo users who appear on records (PPK, PPTK, operator), by username."""
    return {u.username: u for u in User.objects.filter(peran__in=[Peran.PPK, Peran.PPTK, Peran.OPERATOR])}


def pengguna_opd(users: dict[str, User], opd: Opd, peran: str) -> User | None:
    """The demo user with `peran` in `opd`, if `opd.demo` made one."""
    return next((u for u in users.values() if u.peran == peran and u.opd_id == opd.pk), None)


def ppk_opd(opd: Opd, users: dict[str, User], rng: random.Random) -> Ppk:
    """The OPD's demo PPK user when it has one with a NIP, otherwise a made-up PPK (draws from `rng`)."""
    demo_ppk = next((u for u in users.values() if u.peran == Peran.PPK and u.opd_id == opd.pk and u.nip), None)
    return Ppk(demo_ppk.nip, str(demo_ppk), demo_ppk) if demo_ppk else ppk_baru(rng)


def ppk_baru(rng: random.Random) -> Ppk:
    """A made-up PPK: a name with an academic title and a well-formed NIP (draws from `rng`)."""
    lahir = date(rng.randint(1970, 1990), rng.randint(1, 12), rng.randint(1, 28))
    # NIP: birth date, month of appointment (TMT CPNS), sex, serial number.
    tmt = f"{lahir.year + rng.randint(23, 30)}{rng.randint(1, 12):02d}"
    nip = f"{lahir:%Y%m%d}{tmt}{rng.randint(1, 2)}{rng.randint(1, 15):03d}"
    nama = f"{rng.choice(NAMA_DEPAN)} {rng.choice(NAMA_BELAKANG)}, {rng.choice(GELAR)}"
    return Ppk(nip, nama)
