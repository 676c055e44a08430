"""Refresh translations/en from the templates and code; keep existing English, list gaps.

Run: .venv/bin/python scripts/translations_en.py   (msgids are the Arabic texts)
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations/en/LC_MESSAGES/messages.po"
POT = ROOT / "translations/messages.pot"

subprocess.run(
    [
        sys.executable,
        "-m",
        "babel.messages.frontend",
        "extract",
        "-F",
        "babel.cfg",
        "-o",
        str(POT),
        "--no-location",
        "--sort-output",
        "-k",
        "_l",
        ".",
    ],
    cwd=ROOT,
    check=True,
    capture_output=True,
)
with POT.open("rb") as fh:
    template = read_po(fh)
old = {}
if PO.exists():
    with PO.open("rb") as fh:
        old = {m.id: m.string for m in read_po(fh) if m.id}
template.locale = "en"
missing = []
for message in template:
    if message.id:
        message.string = old.get(message.id, "")
        if not message.string:
            missing.append(message.id)
PO.parent.mkdir(parents=True, exist_ok=True)
with PO.open("wb") as fh:
    write_po(fh, template, omit_header=False, width=100)
print("untranslated:", *missing, sep="\n  ") if missing else print("all translated")
