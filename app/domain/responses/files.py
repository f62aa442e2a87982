"""Attached files: their type found from the content (magic bytes), never from the name."""

import io
import re
import unicodedata
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"

#: The types an answer may carry, with the extension a download gets.
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", PNG: ".png", JPEG: ".jpg", TIFF: ".tif"}
CONTENT_TYPES = tuple(EXTENSIONS)
#: Other spellings of the same extensions, which a name may keep.
_SAME = {".jpeg": ".jpg", ".tiff": ".tif"}
#: What the page's file picker offers (a hint only: the content decides).
ACCEPT = ".pdf,.docx,.png,.jpg,.jpeg,.tif,.tiff"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_NAME = 200


def max_bytes():
    from flask import current_app

    return int(current_app.config.get("RESPONSE_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(data: bytes) -> str | None:
    """The content type of ``data`` if it is one we accept, else None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return DOCX
    return None


def _is_docx(data):
    # Reads the ZIP's directory only; nothing is decompressed.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return {"word/document.xml", "[Content_Types].xml"} <= names


def display_name(name: str, content_type: str) -> str:
    """The uploaded name without any folder or control characters, ending in the extension of
    its real type (``scan.exe`` that is a PDF is offered as ``scan.exe.pdf``)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .") or "file"
    ext = EXTENSIONS[content_type]
    stem, dot, current = name.rpartition(".")
    current = "." + current.lower()
    if dot and stem and _SAME.get(current, current) == ext:
        return stem[: MAX_NAME - len(current)] + name[len(stem) :]
    return name[: MAX_NAME - len(ext)] + ext
