"""The English catalogue is complete, compiled, and chosen by the footer's language switch.

Source strings are Indonesian; locale/en/LC_MESSAGES/django.po carries the English UI.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

EN_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = EN_DIR / "django.po"
MO_PATH = EN_DIR / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def _unquote(token: str) -> str:
    """The value of one C-style quoted .po string, e.g. "a\\nb" -> 'a<newline>b'."""
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), token[1:-1])


def parse_po(path: Path) -> list[PoEntry]:
    """Every active entry of a .po file (header included; obsolete #~ entries left out)."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    started = False
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = PoEntry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if started:  # a comment after a msgstr starts the next entry
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, token = match.groups()
            if keyword in ("msgctxt", "msgid") and started and target and target[0].startswith("msgstr"):
                finish()
            started = True
            name = "msgstr" if keyword.startswith("msgstr") else keyword
            target = (name, int(index) if index is not None else None)
            value = _unquote(token)
        elif line.startswith('"') and target is not None:
            value = _unquote(line)
        else:
            raise AssertionError(f"{path}: cannot parse line {raw!r}")
        name, index = target
        if name == "msgstr" and index is not None:
            entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + value
        elif name == "msgstr":
            entry.msgstr += value
        elif name == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif name == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        else:
            entry.msgid += value
    finish()
    return entries


def _messages() -> list[PoEntry]:
    return [entry for entry in parse_po(PO_PATH) if entry.msgid]


def test_po_header_uses_english_plural_forms():
    header = next(entry for entry in parse_po(PO_PATH) if entry.msgid == "")
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr
    assert "Language: en\n" in header.msgstr
    assert "fuzzy" not in header.flags


def _is_translated(entry: PoEntry) -> bool:
    if entry.msgid_plural is None:
        return bool(entry.msgstr)
    return sorted(entry.msgstr_plural) == [0, 1] and all(entry.msgstr_plural.values())


def test_every_po_entry_is_translated_and_not_fuzzy():
    entries = _messages()
    assert len(entries) > 300
    untranslated = [entry.msgid for entry in entries if not _is_translated(entry)]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert untranslated == [], f"untranslated msgids: {untranslated}"
    assert fuzzy == [], f"fuzzy msgids: {fuzzy}"


def test_compiled_mo_matches_po():
    with MO_PATH.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    stale = []
    for entry in _messages():
        if entry.msgid_plural is not None:
            continue
        found = catalog.gettext(entry.msgid) if entry.msgctxt is None else catalog.pgettext(entry.msgctxt, entry.msgid)
        if found != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], f"django.mo is older than django.po for: {stale}"


def test_plural_entries_are_compiled():
    with MO_PATH.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    assert catalog.ngettext("%(n)s pencatatan", "%(n)s pencatatan", 1) == "%(n)s record"
    assert catalog.ngettext("%(n)s pencatatan", "%(n)s pencatatan", 2) == "%(n)s records"


def test_login_page_is_indonesian_until_english_is_chosen(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Masuk ke SPSE Tracker" in response.content.decode()
    assert response["Content-Language"] == "id"

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/accounts/login/"

    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sign in to SPSE Tracker" in html
    assert "Masuk ke SPSE Tracker" not in html
    assert response["Content-Language"] == "en"
