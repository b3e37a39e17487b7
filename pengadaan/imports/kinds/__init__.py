"""What each kind of import checks against the database and how it writes, set-based.

A handler's `resolve` looks up everything its rows refer to in a few `__in` queries,
then decides per row: an error, or a target to create, update or leave unchanged.
`write` runs inside the import's transaction and only sees good rows. Records and
payments get their history rows copied by the database (`imports.bulk`, INSERT … SELECT),
so every import leaves a history entry naming the user and the file.

One module per kind, on a shared base:

- `base`: Context, OpdIndex, the Handler base and the shared helpers (chunked, assign, history, write_history);
  the writes themselves are `pengadaan.imports.bulk`'s (COPY and one merge on PostgreSQL, the ORM elsewhere)
- `choices`: LKPP's wording tables and the choice and NPWP helpers
- `satker`, `rup`, `pencatatan`, `realisasi` (with PenyediaIndex), `users`: one handler each
"""

from __future__ import annotations

from collections.abc import Callable

from pengadaan.imports import contracts
from pengadaan.imports.kinds.base import Context, Handler
from pengadaan.imports.kinds.pencatatan import PencatatanHandler
from pengadaan.imports.kinds.realisasi import RealisasiHandler
from pengadaan.imports.kinds.rup import RupHandler
from pengadaan.imports.kinds.satker import SatkerHandler
from pengadaan.imports.kinds.users import UserHandler
from pengadaan.models import JenisPencatatan, TipePaket

__all__ = [
    "HANDLERS",
    "Context",
    "Handler",
    "PencatatanHandler",
    "RealisasiHandler",
    "RupHandler",
    "SatkerHandler",
    "UserHandler",
]

# kind -> a fresh handler for one run (handlers keep per-run lookups)
HANDLERS: dict[str, Callable[[], Handler]] = {
    "satker": SatkerHandler,
    "rup-penyedia": lambda: RupHandler(contracts.RUP_PENYEDIA, TipePaket.PENYEDIA),
    "rup-swakelola": lambda: RupHandler(contracts.RUP_SWAKELOLA, TipePaket.SWAKELOLA),
    "nontender": lambda: PencatatanHandler(contracts.NONTENDER, JenisPencatatan.NON_TENDER),
    "swakelola": lambda: PencatatanHandler(contracts.SWAKELOLA, JenisPencatatan.SWAKELOLA),
    "nontender-realisasi": lambda: RealisasiHandler(contracts.NONTENDER_REALISASI, JenisPencatatan.NON_TENDER),
    "swakelola-realisasi": lambda: RealisasiHandler(contracts.SWAKELOLA_REALISASI, JenisPencatatan.SWAKELOLA),
    "users": UserHandler,
}
