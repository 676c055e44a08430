"""The registry of field types: one class per type, looked up by name.

forms.types.base holds the base class and the registry; the modules below
register the types. An unknown type raises UnknownFieldType.
"""

from forms.types import device, files, identifiers, moments, scalar
from forms.types.base import (
    FIELD_TYPES,
    FieldError,
    FieldType,
    PendingFile,
    UnknownFieldType,
    get_field_type,
    register,
)

__all__ = [
    "FIELD_TYPES",
    "FieldError",
    "FieldType",
    "PendingFile",
    "UnknownFieldType",
    "device",
    "files",
    "get_field_type",
    "identifiers",
    "moments",
    "register",
    "scalar",
]
