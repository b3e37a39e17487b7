"""`manage.py serve [ADDRPORT]`: the development server and the task worker together (quick start)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Jalankan server pengembangan dan worker tugas latar (impor besar) sekaligus."

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options) -> None:
        worker = None
        # runserver's autoreloader re-runs this command in a child process (RUN_MAIN=true): one worker is enough
        if os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen(  # noqa: S603 -- our own interpreter and manage.py, no user input
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--interval", "1"],
                cwd=settings.BASE_DIR,
            )
            self.stdout.write(f"Worker tugas latar berjalan (pid {worker.pid}).")
        # a plain `kill` (SIGTERM) should stop the worker too, like Ctrl-C does
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
        try:
            call_command("runserver", addrport)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
