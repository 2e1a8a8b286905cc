"""Checks provider logo uploads and stores them re-encoded, so that only clean WebP is served."""

import contextlib
import io
import os
import re
import secrets
import struct
import tempfile
import threading
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps

MAX_LOGO_BYTES = 2 * 1024 * 1024  # 2 MB, the limit stated to users
# Largest image accepted, in pixels, read from the header before any pixel is decoded. A
# logo is shown at 512 px at most; 12 megapixels still admits a 4,000 x 3,000 phone photo
# or design-tool export, and bounds a decode to about 50 MB (4 bytes a pixel; JPEGs decode
# at a reduced scale). 40 megapixels let a 154 KB PNG of 6,300 x 6,300 take 300 MB.
MAX_LOGO_PIXELS = 12_000_000
LOGO_SIZE = 512  # longest side after resizing

ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "WEBP"})
WEBP_QUALITY = 85

# token_urlsafe(18) encodes 18 bytes as exactly 24 characters of this alphabet.
_STORED_NAME = re.compile(r"[A-Za-z0-9_-]{24}\.webp")

# One decode at a time per process: several uploads at once in a threaded worker would
# otherwise each hold their decoded pixels together.
_DECODING = threading.BoundedSemaphore(1)
# Modes that resize well as they are: thumbnail first, convert the small image after.
_RESIZABLE_MODES = frozenset({"RGB", "RGBA", "L", "LA"})

# Errors Pillow raises on malformed or truncated data; they all mean "not a usable image".
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error)


class LogoRejected(Exception):
    """The upload is not an acceptable logo; `reason` is a code the caller translates."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def store_logo(stream: BinaryIO, upload_dir: Path) -> str:
    """Reads a binary stream (e.g. werkzeug FileStorage.stream), checks it, re-encodes it and
    writes it under a random name in upload_dir (created if missing); returns the file name."""
    data = _read_limited(stream, MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRejected("too_large")
    with _DECODING:
        logo = _decode(data)

    filename = secrets.token_urlsafe(18) + ".webp"
    # Guards the pattern the serving route relies on against a change in the token length.
    if not is_stored_logo_name(filename):
        raise RuntimeError(f"generated logo name {filename!r} does not match the stored pattern")

    upload_dir.mkdir(parents=True, exist_ok=True)
    # A dot-prefixed .tmp name never matches the stored pattern, so it is never served.
    fd, tmp_name = tempfile.mkstemp(dir=upload_dir, prefix=".logo-", suffix=".tmp")
    tmp_path = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as tmp:
            # Re-encoding with no exif/icc/xmp drops metadata (GPS, camera, comments) from uploads.
            logo.save(tmp, "WEBP", quality=WEBP_QUALITY, exif=b"", icc_profile=None, xmp=b"")
            tmp.flush()
            os.fsync(tmp.fileno())
        # mkstemp creates 0600; logos are public and may be served by another user (web server).
        tmp_path.chmod(0o644)
        os.replace(tmp_path, upload_dir / filename)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise
    return filename


def delete_logo(filename: str | None, upload_dir: Path) -> None:
    """Deletes a stored logo; a missing file or None is not an error; a name with a path
    separator or '..' or not matching the stored-name pattern is ignored (never deletes
    anything outside upload_dir)."""
    # The pattern admits no separator or dot other than the suffix, so the path stays inside.
    if filename is None or not is_stored_logo_name(filename):
        return
    (upload_dir / filename).unlink(missing_ok=True)


def is_stored_logo_name(filename: str) -> bool:
    """True for names store_logo produces (used by the route that serves logos)."""
    return isinstance(filename, str) and _STORED_NAME.fullmatch(filename) is not None


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    """Reads up to `limit` bytes; loops because a raw stream may return short reads."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _decode(data: bytes) -> Image.Image:
    """Identifies the format from the content and decodes it into an image ready to encode."""
    # Only the bomb warning becomes an error here; Pillow's global pixel limit stays untouched.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise LogoRejected("too_many_pixels") from None
        except _DECODE_ERRORS:
            raise LogoRejected("not_an_image") from None

        # Opening only parses the header: format and size are known before any pixel is decoded.
        if img.format not in ACCEPTED_FORMATS:
            raise LogoRejected("unsupported_format")
        width, height = img.size
        if width * height > MAX_LOGO_PIXELS:
            raise LogoRejected("too_many_pixels")

        try:
            # Lets a large JPEG decode at a reduced scale, still at least twice the final size.
            img.draft(None, (LOGO_SIZE * 2, LOGO_SIZE * 2))
            img.load()
            has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
                "transparency" in img.info
            )
            if img.mode not in _RESIZABLE_MODES or "transparency" in img.info:
                img = img.convert("RGBA" if has_alpha else "RGB")
            # In place, by whole-factor reductions first: no full-size copy is made.
            img.thumbnail((LOGO_SIZE, LOGO_SIZE))
            ImageOps.exif_transpose(img, in_place=True)
            img = img.convert("RGBA" if has_alpha else "RGB")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise LogoRejected("too_many_pixels") from None
        except _DECODE_ERRORS:
            raise LogoRejected("not_an_image") from None
    return img
