"""Uploaded files, read the same way on both builds (Starlette UploadFile on AsyncApp, Werkzeug FileStorage
on FlaskApp)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


async def read_upload(file: Any) -> Upload:
    """The name, media type and bytes of an uploaded file handed to a handler by Connexion."""
    content = file.read()
    if inspect.isawaitable(content):
        content = await content
    content_type = getattr(file, "content_type", None) or getattr(file, "mimetype", None) or "application/octet-stream"
    return Upload(filename=file.filename or "", content_type=content_type, data=content or b"")
