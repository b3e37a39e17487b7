"""`manage.py seed_demo`: demo OPDs, users of every role (logins printed) and data; idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opd.demo import DEMO_PASSWORD, seed_opd_and_users
from opd.models import Opd
from pengadaan.demo import seed_pengadaan


class Command(BaseCommand):
    help = "Isi data demo: OPD Kota Tangerang, pengguna demo untuk setiap peran, dan data pengadaan dua tahun."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Izinkan walau DEBUG=False (akun demo memakai kata sandi yang diketahui umum).",
        )

    def handle(self, *args, allow_production: bool, **options) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError("DEBUG=False: data demo tidak diisi. Tambahkan --allow-production bila sengaja.")
        users = seed_opd_and_users()
        self.stdout.write(f"OPD: {Opd.objects.count()}")
        self.stdout.write("Akun demo (kata sandi sama untuk semua): " + DEMO_PASSWORD)
        for demo in users:
            opd = f" — {demo.singkatan}" if demo.singkatan else ""
            self.stdout.write(f"  {demo.username:<18} {demo.peran}{opd}")
        jumlah = seed_pengadaan()
        self.stdout.write(
            f"Data pengadaan: {jumlah['paket_rup']} paket RUP, {jumlah['pencatatan']} pencatatan "
            f"({jumlah['pencatatan_rup']} tautan RUP), {jumlah['realisasi']} realisasi, {jumlah['penyedia']} penyedia"
        )
        self.stdout.write(
            f"Rekonsiliasi SPSE: {jumlah['belum_di_spse']} belum di SPSE, {jumlah['hanya_di_spse']} hanya di SPSE, "
            f"{jumlah['berbeda_dari_spse']} berbeda dari SPSE, {jumlah['padanan']} pasangan perlu dikonfirmasi"
        )
        self.stdout.write("Masuk di http://127.0.0.1:8000/accounts/login/ dengan salah satu akun di atas.")
