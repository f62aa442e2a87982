"""What every storage backend offers, and the error they raise."""

from flask_babel import lazy_gettext as _l

CHUNK = 1024 * 1024

_REASONS = {
    "missing": _l("The stored file is missing"),
    "damaged": _l("The stored file is damaged (its checksum differs)"),
    "outside": _l("The path is outside the storage"),
    "unavailable": _l("The file storage cannot be reached"),
}


class StorageError(Exception):
    """A stored file cannot be read: missing, damaged, or the store is unreachable."""

    def __init__(self, path, reason="missing"):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    @property
    def message(self):
        return f"{_REASONS.get(self.reason, _REASONS['missing'])}: {self.path.rsplit('/', 1)[-1]}"
