"""The set of forms an association uses: the shipped ones and its own.

Definitions are read from folders (forms/library, then the data folder's
forms/, where a file of the same id replaces the shipped one). A file that
fails its checks is left out and its messages kept, so one broken form never
takes the others down. Files are re-read only when they change on disk.
"""

from __future__ import annotations

import threading
from pathlib import Path

from forms.definition import DefinitionError, FormDefinition, load_definition

SHIPPED = Path(__file__).with_name("library")


class FormLibrary:
    def __init__(self, *folders: str | Path):
        self.folders = [Path(f) for f in folders]
        self._lock = threading.Lock()
        self._stamp: tuple = ()
        self._forms: dict[str, FormDefinition] = {}
        self._problems: list[str] = []

    def _files(self) -> list[Path]:
        return [
            p for folder in self.folders if folder.is_dir() for p in sorted(folder.glob("*.json"))
        ]

    def _refresh(self) -> None:
        files = self._files()
        stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        with self._lock:
            if stamp == self._stamp:
                return
            forms, found = {}, []
            for path in files:
                try:
                    definition = load_definition(path)
                except DefinitionError as exc:
                    found.extend(exc.messages)
                    continue
                if definition.id != path.stem:
                    found.append(f'{path.name}: id: "{definition.id}" must match the file name')
                    continue
                forms[definition.id] = definition
            self._forms, self._problems, self._stamp = forms, found, stamp

    def get(self, form_id: str) -> FormDefinition | None:
        self._refresh()
        return self._forms.get(form_id)

    def all(self) -> list[FormDefinition]:
        self._refresh()
        return sorted(self._forms.values(), key=lambda f: f.id)

    def problems(self) -> list[str]:
        self._refresh()
        return list(self._problems)
