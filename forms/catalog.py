"""The forms an association uses now, and the versions its submissions were made with.

Two sources meet here: definition files (FormLibrary: forms/library and the data
folder's forms/) and versions published in the editor (forms.versions, in the
store). For each form id the one with the higher version number is in use; on a
tie the editor's wins, since publishing there is the later, deliberate act. So a
file is a form's starting version, and a file raised above the editor's latest
version takes over again.
"""

from __future__ import annotations

from forms import versions
from forms.definition import FormDefinition
from forms.library import FormLibrary


class FormCatalog:
    """What app.extensions["rifd_forms"] holds: the current forms and their history."""

    def __init__(self, files: FormLibrary, store):
        self.files = files
        self.store = store
        # form id -> (file definition, number of frozen versions, resolved definition):
        # resolving hashes the whole definition, so it is redone only when either changes.
        self._resolved: dict[str, tuple] = {}
        # form id -> (version, digest, definition) of the newest version published in the
        # editor: one object while it is in use, so what is kept with it (web/filling.py's
        # rendered page) lasts until the next version.
        self._published: dict[str, tuple] = {}

    def get(self, form_id: str) -> FormDefinition | None:
        """Return the definition new submissions of `form_id` use, or None."""
        from_file = self.files.get(form_id)
        published = versions.latest(self.store, form_id, versions.EDITOR)
        if published and (from_file is None or published["version"] >= from_file.version):
            return self._published_definition(published)
        # A file's own number may be taken by content it had before: give the
        # number its content has, or will have, among the frozen versions.
        return self._resolve(from_file) if from_file else None

    def _published_definition(self, record: dict) -> FormDefinition:
        # A published version is never changed: its number and digest name its content.
        key = (record["version"], record.get("digest"))
        hit = self._published.get(record["form_id"])
        if hit and hit[:2] == key:
            return hit[2]
        found = FormDefinition(record["definition"])
        self._published[record["form_id"]] = (*key, found)
        return found

    def _resolve(self, from_file: FormDefinition) -> FormDefinition:
        frozen = self.store.count(versions.COLLECTION)  # versions are only ever added
        hit = self._resolved.get(from_file.id)
        if hit and hit[0] is from_file and hit[1] == frozen:
            return hit[2]
        found = versions.resolve(self.store, from_file)
        self._resolved[from_file.id] = (from_file, frozen, found)
        return found

    def all(self) -> list[FormDefinition]:
        # Forms frozen only from a file since deleted come back None from get(): gone.
        ids = {f.id for f in self.files.all()} | versions.form_ids(self.store)
        found = (self.get(form_id) for form_id in sorted(ids))
        return [form for form in found if form is not None]

    def problems(self) -> list[str]:
        return self.files.problems()

    def version(self, form_id: str, number: object) -> FormDefinition | None:
        """Return version `number` of a form: frozen, or the current one if it has that number."""
        frozen = versions.get(self.store, form_id, number)
        if frozen is not None:
            return frozen
        current = self.get(form_id)
        return current if current is not None and current.version == number else None

    def for_record(self, record: dict) -> FormDefinition | None:
        """Return the definition a submission was filled with (the current one for old data)."""
        # Submissions from before versions were frozen may name a version that is
        # gone: the current definition still labels what it can.
        found = self.version(record.get("form_id", ""), record.get("form_version"))
        return found or self.get(record.get("form_id", ""))

    def history(self, form_id: str, numbers) -> dict[int, FormDefinition]:
        """Return the definitions of the given version numbers that can still be found."""
        out = {}
        for number in numbers:
            found = self.version(form_id, number)
            if found is not None:
                out[number] = found
        return out
