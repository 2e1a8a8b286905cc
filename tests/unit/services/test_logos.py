"""Logo uploads: what is accepted, how it is re-encoded, what is refused and why, deletion."""

import io
import random
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from directory.services import logos
from directory.services.logos import (
    LOGO_SIZE,
    MAX_LOGO_BYTES,
    LogoRejected,
    delete_logo,
    is_stored_logo_name,
    store_logo,
)

EXIF_ORIENTATION = 0x0112
EXIF_MAKE = 0x010F


def _encode(img: Image.Image, fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def _image(size=(800, 400), mode="RGB") -> Image.Image:
    """A two-coloured image: red left half, blue right half, so orientation can be checked."""
    img = Image.new(mode, size, "blue")
    img.paste("red", (0, 0, size[0] // 2, size[1]))
    return img


def _noise_png(size: tuple[int, int]) -> bytes:
    """Random pixels barely compress, which makes a large file or a long IDAT to truncate."""
    rng = random.Random(1234)
    return _encode(Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3)), "PNG")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _ihdr(width: int, height: int) -> bytes:
    # 1-bit greyscale keeps the raw pixel data (and so the test) as small as possible.
    return _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))


def _bomb_png(width: int, height: int) -> bytes:
    """A genuine, valid PNG of width x height blank pixels that compresses to a few dozen KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        PngImagePlugin._MAGIC
        + _ihdr(width, height)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _header_only_png(width: int, height: int) -> bytes:
    """A PNG whose header declares a size but carries no pixels: decoding it would fail."""
    return PngImagePlugin._MAGIC + _ihdr(width, height) + _png_chunk(b"IEND", b"")


def _reopen(path: Path) -> Image.Image:
    with Image.open(path) as img:
        assert img.format == "WEBP"
        img.load()
        return img


def _stored_files(upload_dir: Path) -> list[str]:
    return sorted(p.name for p in upload_dir.iterdir()) if upload_dir.exists() else []


def _refusal(data: bytes, upload_dir: Path) -> str:
    with pytest.raises(LogoRejected) as excinfo:
        store_logo(io.BytesIO(data), upload_dir)
    # A refused upload leaves nothing behind, not even a temporary file.
    assert _stored_files(upload_dir) == []
    return excinfo.value.reason


# --- accepted uploads -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_accepted_formats_are_stored_as_shrunk_webp(tmp_path, fmt):
    data = _encode(_image((1200, 600)), fmt)

    name = store_logo(io.BytesIO(data), tmp_path)

    assert is_stored_logo_name(name)
    assert _stored_files(tmp_path) == [name]
    img = _reopen(tmp_path / name)
    assert img.size == (LOGO_SIZE, LOGO_SIZE // 2)
    assert max(img.size) <= LOGO_SIZE


def test_tall_image_is_bounded_by_its_height(tmp_path):
    name = store_logo(io.BytesIO(_encode(_image((300, 2000)), "PNG")), tmp_path)

    assert max(_reopen(tmp_path / name).size) == LOGO_SIZE


def test_same_image_twice_gets_two_random_names(tmp_path):
    data = _encode(_image(), "PNG")

    first = store_logo(io.BytesIO(data), tmp_path)
    second = store_logo(io.BytesIO(data), tmp_path)

    assert first != second
    assert _stored_files(tmp_path) == sorted([first, second])


def test_small_image_is_not_enlarged(tmp_path):
    name = store_logo(io.BytesIO(_encode(_image((40, 30)), "PNG")), tmp_path)

    assert _reopen(tmp_path / name).size == (40, 30)


def test_transparency_is_kept(tmp_path):
    img = _image((64, 64), mode="RGBA")
    img.putpixel((60, 60), (0, 0, 0, 0))

    name = store_logo(io.BytesIO(_encode(img, "PNG")), tmp_path)

    stored = _reopen(tmp_path / name)
    assert stored.mode == "RGBA"
    assert stored.getpixel((60, 60))[3] < 16
    assert stored.getpixel((10, 10))[3] == 255


def test_palette_png_with_transparent_index_keeps_its_transparency(tmp_path):
    img = _image((64, 64)).convert("P")
    transparent_index = img.getpixel((0, 0))

    data = _encode(img, "PNG", transparency=transparent_index)
    stored = _reopen(tmp_path / store_logo(io.BytesIO(data), tmp_path))

    assert stored.mode == "RGBA"
    assert stored.getpixel((5, 5))[3] < 16


def test_jpeg_exif_orientation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6  # stored sideways: display rotated 90° clockwise
    data = _encode(_image((1024, 256)), "JPEG", exif=exif, quality=95)

    stored = _reopen(tmp_path / store_logo(io.BytesIO(data), tmp_path))

    assert stored.size == (LOGO_SIZE // 4, LOGO_SIZE)
    # Rotating clockwise brings the red left half to the top.
    top_r, _, top_b = stored.getpixel((stored.width // 2, 10))[:3]
    bottom_r, _, bottom_b = stored.getpixel((stored.width // 2, stored.height - 10))[:3]
    assert top_r > 200 > top_b
    assert bottom_b > 200 > bottom_r


def test_metadata_is_not_carried_over(tmp_path):
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SecretCameraMaker"
    jpeg = _encode(_image(), "JPEG", exif=exif)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SecretPngComment")
    png = _encode(_image(), "PNG", pnginfo=info)

    for data, secret in ((jpeg, b"SecretCameraMaker"), (png, b"SecretPngComment")):
        assert secret in data
        path = tmp_path / store_logo(io.BytesIO(data), tmp_path)
        assert secret not in path.read_bytes()
        stored = _reopen(path)
        assert "exif" not in stored.info
        assert "xmp" not in stored.info


def test_upload_dir_is_created_when_missing(tmp_path):
    upload_dir = tmp_path / "instance" / "logos"

    name = store_logo(io.BytesIO(_encode(_image(), "PNG")), upload_dir)

    assert (upload_dir / name).is_file()


class _TrickleStream(io.RawIOBase):
    """Returns at most a few bytes per read, as a raw socket or pipe may."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def read(self, size=-1):
        return self._data.read(min(size, 1000) if size >= 0 else 1000)


def test_short_reads_are_assembled(tmp_path):
    name = store_logo(_TrickleStream(_encode(_image(), "PNG")), tmp_path)

    assert _reopen(tmp_path / name).size == (LOGO_SIZE, LOGO_SIZE // 2)


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    data = _encode(_image(), "PNG")

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", broken_save)

    with pytest.raises(OSError, match="disk full"):
        store_logo(io.BytesIO(data), tmp_path)
    assert _stored_files(tmp_path) == []


# --- refused uploads --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
            b'height="10"><script>alert(1)</script></svg>',
            id="svg",
        ),
        pytest.param(b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)>", id="html"),
        pytest.param(b"just some text, not a logo\n", id="text"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4, id="windows-exe"),
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, id="elf"),
        pytest.param(PngImagePlugin._MAGIC + b"garbage!" * 64, id="png-header-then-garbage"),
        pytest.param(b"", id="empty"),
    ],
)
def test_non_images_are_refused(tmp_path, data):
    assert _refusal(data, tmp_path) == "not_an_image"


def test_truncated_png_is_refused(tmp_path):
    data = _noise_png((200, 200))

    assert _refusal(data[: len(data) // 2], tmp_path) == "not_an_image"


def test_truncated_jpeg_is_refused(tmp_path):
    data = _encode(Image.effect_noise((300, 300), 64).convert("RGB"), "JPEG")

    assert _refusal(data[: len(data) // 2], tmp_path) == "not_an_image"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "ICO"])
def test_other_image_formats_are_refused(tmp_path, fmt):
    data = _encode(_image((64, 64)), fmt)
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == fmt  # Pillow does recognise it, so the refusal is about the format

    assert _refusal(data, tmp_path) == "unsupported_format"


def test_file_over_the_limit_is_refused(tmp_path):
    data = _noise_png((1000, 1000))
    assert len(data) > MAX_LOGO_BYTES

    assert _refusal(data, tmp_path) == "too_large"


def test_file_at_the_limit_is_not_refused_for_size(tmp_path):
    # Exactly MAX_LOGO_BYTES is allowed; these bytes then fail for another reason.
    assert _refusal(b"x" * MAX_LOGO_BYTES, tmp_path) == "not_an_image"
    assert _refusal(b"x" * (MAX_LOGO_BYTES + 1), tmp_path) == "too_large"


class _EndlessStream(io.RawIOBase):
    """Never ends; records how much was asked for."""

    def __init__(self):
        self.served = 0

    def readable(self):
        return True

    def read(self, size=-1):
        assert size >= 0, "an unbounded read would never return"
        self.served += size
        return b"\x00" * size


def test_reading_stops_just_past_the_limit(tmp_path):
    stream = _EndlessStream()

    with pytest.raises(LogoRejected) as excinfo:
        store_logo(stream, tmp_path)

    assert excinfo.value.reason == "too_large"
    assert stream.served == MAX_LOGO_BYTES + 1


def test_decompression_bomb_is_refused(tmp_path):
    data = _bomb_png(20_000, 20_000)
    assert len(data) < 100_000  # tiny file, 400 million pixels

    assert _refusal(data, tmp_path) == "too_many_pixels"


def test_the_issues_6300_pixel_square_png_is_refused_before_decoding(tmp_path):
    # 40 megapixels passed the old limit and took a worker from 148 to 451 MB.
    assert _refusal(_header_only_png(6_300, 6_300), tmp_path) == "too_many_pixels"
    assert _refusal(_bomb_png(6_300, 6_300), tmp_path) == "too_many_pixels"


def test_a_12_megapixel_image_is_still_accepted(tmp_path):
    name = store_logo(io.BytesIO(_bomb_png(4_000, 3_000)), tmp_path)
    assert _reopen(tmp_path / name).size == (LOGO_SIZE, LOGO_SIZE * 3 // 4)


@pytest.mark.parametrize(
    "size",
    [
        pytest.param((4_000, 3_001), id="just-over-our-limit"),
        pytest.param((8_000, 6_000), id="over-our-limit-under-pillows"),
        pytest.param((10_000, 10_000), id="over-pillows-warning-limit"),
        pytest.param((20_000, 20_000), id="over-pillows-error-limit"),
    ],
)
def test_pixel_count_is_checked_before_decoding(tmp_path, size):
    # No pixel data follows the header: had it been decoded, the reason would be not_an_image.
    assert _refusal(_header_only_png(*size), tmp_path) == "too_many_pixels"


def test_pillow_global_pixel_limit_is_left_alone(tmp_path):
    before = Image.MAX_IMAGE_PIXELS

    _refusal(_header_only_png(10_000, 10_000), tmp_path)

    assert before == Image.MAX_IMAGE_PIXELS


def test_pixel_limit_boundary(tmp_path, monkeypatch):
    monkeypatch.setattr(logos, "MAX_LOGO_PIXELS", 100)

    assert store_logo(io.BytesIO(_encode(_image((10, 10)), "PNG")), tmp_path)
    with pytest.raises(LogoRejected) as excinfo:
        store_logo(io.BytesIO(_encode(_image((10, 11)), "PNG")), tmp_path)
    assert excinfo.value.reason == "too_many_pixels"


def test_rejection_carries_its_reason():
    error = LogoRejected("too_large")

    assert error.reason == "too_large"
    assert isinstance(error, Exception)


# --- deletion ---------------------------------------------------------------------------------


def test_delete_removes_a_stored_logo(tmp_path):
    name = store_logo(io.BytesIO(_encode(_image(), "PNG")), tmp_path)

    delete_logo(name, tmp_path)

    assert not (tmp_path / name).exists()


def test_delete_ignores_none_and_missing_files(tmp_path):
    kept = store_logo(io.BytesIO(_encode(_image(), "PNG")), tmp_path)

    delete_logo(None, tmp_path)
    delete_logo("A" * 24 + ".webp", tmp_path)
    delete_logo("A" * 24 + ".webp", tmp_path / "does-not-exist")

    assert _stored_files(tmp_path) == [kept]


def test_delete_never_leaves_the_upload_dir(tmp_path):
    upload_dir = tmp_path / "logos"
    stored_like = "B" * 24 + ".webp"  # would pass a check on the name alone
    outside = tmp_path / stored_like
    outside.write_bytes(b"outside")
    nested = upload_dir / "a" / "b.webp"
    nested.parent.mkdir(parents=True)
    nested.write_bytes(b"nested")

    delete_logo("../" + stored_like, upload_dir)
    delete_logo(str(outside), upload_dir)
    delete_logo("a/b.webp", upload_dir)
    delete_logo("a\\..\\" + stored_like, upload_dir)

    assert outside.read_bytes() == b"outside"
    assert nested.read_bytes() == b"nested"


@pytest.mark.parametrize(
    "name", ["../x.webp", "/etc/passwd", "a/b.webp", "..", ".", "", "logo.png"]
)
def test_delete_does_not_touch_the_disk_for_foreign_names(tmp_path, monkeypatch, name):
    # Recording unlink instead of letting it run keeps a faulty version from harming the host.
    unlinked = []
    monkeypatch.setattr(Path, "unlink", lambda self, *a, **kw: unlinked.append(self))

    delete_logo(name, tmp_path)

    assert unlinked == []


# --- stored names -----------------------------------------------------------------------------


def test_stored_names_are_recognised(tmp_path):
    name = store_logo(io.BytesIO(_encode(_image(), "PNG")), tmp_path)

    assert is_stored_logo_name(name)
    assert name.endswith(".webp")


@pytest.mark.parametrize(
    "name",
    [
        "",
        "logo.png",
        "logo.webp",
        "../x.webp",
        "/etc/passwd",
        "a/b.webp",
        "A" * 24 + ".WEBP",
        "A" * 24 + ".webp.png",
        "A" * 23 + ".webp",
        "A" * 25 + ".webp",
        "A" * 24 + ".webp\n",
        "A" * 20 + "/../.webp",
        "A" * 23 + "..webp",
        ".logo-abcdefgh.tmp",
        "A" * 24,
    ],
)
def test_other_names_are_not_recognised(name):
    assert not is_stored_logo_name(name)


def test_generated_name_shape_is_recognised():
    assert is_stored_logo_name("aZ09_-" * 4 + ".webp")


def test_a_polyglot_png_keeps_nothing_of_its_hidden_payload(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "navy").save(buffer, "PNG")
    payload = b"<html><script>alert(document.cookie)</script></html>"
    name = logos.store_logo(io.BytesIO(buffer.getvalue() + payload), tmp_path)
    stored = (tmp_path / name).read_bytes()
    assert stored.startswith(b"RIFF")
    assert b"<script" not in stored
