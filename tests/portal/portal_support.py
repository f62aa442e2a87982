"""Test support for the portal: the JSON answer body, real files."""

import io
import struct
import zlib
from datetime import timedelta

from app.core.clock import today


def answer(recs, **kw):
    """A JSON answer: ``recs`` is [(recommendation, position, comment)]."""
    positions = []
    for rec, position, comment in recs:
        item = {"recommendation_id": rec.id, "position": position, "comment": comment}
        if position == "in_progress":
            item["planned_on"] = (today() + timedelta(days=60)).isoformat()
        positions.append(item)
    return {
        "responder_name": "Петро Іваненко",
        "responder_position": "начальник відділу",
        "responder_phone": "+380441234567",
        "text": "Інформуємо про вжиті заходи.",
        "positions": positions,
        **kw,
    }


def png_bytes():
    """A 1×1 grey PNG, built by hand."""

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def photo(name="фото.png"):
    return (io.BytesIO(png_bytes()), name)
