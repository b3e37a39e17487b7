"""`manage.py buat_token USERNAME [--nama LABEL] [--hari N]`: a new API token for that person, printed once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from opd import tokens
from opd.models import User


class Command(BaseCommand):
    help = (
        "Buat token API (/api/v1/) untuk seorang pengguna. Token dicetak sekali ini saja: simpan di tempat aman. "
        "Token membuka data yang boleh dilihat pengguna itu, tidak lebih."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="Nama pengguna pemilik token.")
        parser.add_argument("--nama", default="baris perintah", help="Keterangan token (bawaan: baris perintah).")
        parser.add_argument("--hari", type=int, help="Masa berlaku dalam hari (bawaan: sampai dicabut).")

    def handle(self, *args, username: str, nama: str, hari: int | None, **options) -> None:
        try:
            pengguna = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"Pengguna {username!r} tidak ditemukan.") from None
        if not pengguna.is_active:
            raise CommandError(f"Pengguna {username!r} nonaktif: tokennya tidak akan diterima.")
        if hari is not None and hari < 1:
            raise CommandError("--hari harus 1 atau lebih.")
        baru = tokens.token_create(pengguna=pengguna, nama=nama, hari=hari)
        berlaku = f"sampai {baru.token.kedaluwarsa:%Y-%m-%d %H:%M %Z}" if baru.token.kedaluwarsa else "sampai dicabut"
        self.stderr.write(f"Token {nama!r} untuk {username} dibuat, berlaku {berlaku}. Simpan sekarang:")
        self.stdout.write(baru.kunci)
