"""Peak memory of checking and re-encoding logo uploads, each case in a fresh process.

    PYTHONPATH=. .venv/bin/python -m bench.logo_memory [--logos PATH]

For each image (the issue's 6,300 x 6,300 PNG, ordinary large logos and photos), a new
Python process imports the logo service, notes its peak resident memory, runs
store_logo on the upload once (and then six at once in threads, as six requests of a
threaded worker would), and prints the peak reached: what one upload can cost a worker.
`--logos` loads another version of directory/services/logos.py (say, the one before a
change, from `git show`) to compare.
"""

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = ROOT / "instance" / "bench" / "logos"

# Runs in the child: prints "<MB before> <MB after one> <MB after six at once> <outcome>".
_CHILD = r"""
import importlib.util, io, sys, tempfile, threading
from pathlib import Path

spec = importlib.util.spec_from_file_location("logos_under_test", sys.argv[1])
logos = importlib.util.module_from_spec(spec)
spec.loader.exec_module(logos)
data = Path(sys.argv[2]).read_bytes()
out = Path(tempfile.mkdtemp())

def peak_mb():
    # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

def upload():
    try:
        logos.store_logo(io.BytesIO(data), out)
        return "stored"
    except logos.LogoRejected as error:
        return "refused: " + error.reason

before = peak_mb()
outcome = upload()
one = peak_mb()
threads = [threading.Thread(target=upload) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"{before:.0f} {one:.0f} {peak_mb():.0f} {outcome}")
"""


def _png(size, mode="RGB", color="white") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _photo(size) -> bytes:
    """A JPEG with some detail (a gradient), as a phone photo of a sign would be."""
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    gradient.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


CASES = {
    "PNG 6,300 x 6,300 (the issue's)": lambda: _png((6300, 6300)),
    "PNG 4,000 x 3,000 RGBA": lambda: _png((4000, 3000), "RGBA", (0, 0, 0, 0)),
    "PNG 3,000 x 3,000 RGB": lambda: _png((3000, 3000)),
    "JPEG 4,000 x 3,000 (12 MP photo)": lambda: _photo((4000, 3000)),
    "PNG 1,024 x 1,024 RGBA (a usual logo)": lambda: _png((1024, 1024), "RGBA", (0, 0, 0, 0)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logos", default=str(ROOT / "directory" / "services" / "logos.py"))
    logos_path = parser.parse_args().logos
    WORKDIR.mkdir(parents=True, exist_ok=True)
    print(f"logo service: {logos_path}")
    print(
        "| upload | file | peak RSS before, MB | after one, MB | after six at once, MB | outcome |"
    )
    print("|---|---|---|---|---|---|")
    for label, make in CASES.items():
        with tempfile.NamedTemporaryFile(dir=WORKDIR, suffix=".img") as image:
            data = make()
            image.write(data)
            image.flush()
            result = subprocess.run(
                [sys.executable, "-c", _CHILD, logos_path, image.name],
                capture_output=True,
                text=True,
                check=True,
            )
            before, one, six, outcome = result.stdout.split(" ", 3)
            size = f"{len(data) / 1024:.0f} KB"
            print(f"| {label} | {size} | {before} | {one} | {six} | {outcome.strip()} |")


if __name__ == "__main__":
    main()
