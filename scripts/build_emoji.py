"""Build runner/datasets/emoji.npz, the emoji dataset shipped with tp5, from Twemoji's images.

    python scripts/build_emoji.py                      # npm pack the pinned package, check, write
    python scripts/build_emoji.py --tarball FILE.tgz   # the same from a tarball already here

The source is the npm package emoji-datasource-twitter (PACKAGE, VERSION): Twemoji's 64x64 PNG
of every emoji (graphics CC BY 4.0, Twitter Inc. and contributors; the package's own code and
data MIT, Cal Henderson) and emoji.json, which names each image's Unicode category and
subcategory. The tarball is fetched with `npm pack` and must match the sha512 that the registry
published for that version (INTEGRITY, its `dist.integrity`), so the same bytes go in every time.

What is kept (SUBCATEGORIES): the round faces, which share an outline and differ inside, so a 2-D
latent plane has something to arrange: every face of "Smileys & Emotion" (smiling, affection,
tongue, hand, neutral, sleepy, unwell, hat, glasses, concerned, negative, costume, cat and monkey
faces; 130) and the people's heads of "People & Body / person" in their six skin tones (28 x 6 =
168, less one that Twemoji draws twice): 297 images. Hearts, hands, flags and objects are left
out: they share nothing with the faces, and a few hundred images cannot fill a plane with a dozen
unrelated shapes. Each image's label is its subcategory.

Each 64x64 RGBA image is composited on white (its transparent corners become background, as on a
page), averaged down to SIZE x SIZE over the exact area each output pixel covers (a box filter
in NumPy: no resampler whose version could change a byte), and rounded to uint8. The npz is
written with fixed zip timestamps, so running the script twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

PACKAGE, VERSION = "emoji-datasource-twitter", "16.0.0"
INTEGRITY = (
    "sha512-7F+uCuHH+7Qnrc15P5tnbvKkg9E6tlzi4MnT2uW1RlN4pLYTza6cP/dstIfSDMtpjFLWuZewWg8j"
    "BbuL2eyELQ=="
)  # `npm view emoji-datasource-twitter@16.0.0 dist.integrity`
IMAGES = "package/img/twitter/64/"  # one 64x64 RGBA PNG per emoji, named as emoji.json says
SIZE = 20  # pixels a side: 16 blurs the eyes and mouths together; see experiments/vae-emoji.yaml
SUBCATEGORIES = (  # emoji.json's subcategories kept, in Unicode's order
    "face-smiling",
    "face-affection",
    "face-tongue",
    "face-hand",
    "face-neutral-skeptical",
    "face-sleepy",
    "face-unwell",
    "face-hat",
    "face-glasses",
    "face-concerned",
    "face-negative",
    "face-costume",
    "cat-face",
    "monkey-face",
    "person",
)
OUT = Path(__file__).resolve().parent.parent / "runner" / "datasets" / "emoji.npz"


def fetch(folder: Path) -> Path:
    """The package's tarball, from the npm registry into folder."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(folder)],
        check=True,
        capture_output=True,
    )
    return folder / f"{PACKAGE}-{VERSION}.tgz"


def check_integrity(tarball: bytes, integrity: str = INTEGRITY) -> None:
    """Raise unless the bytes are the ones the registry published (npm's sha512 integrity)."""
    algorithm, expected = integrity.split("-", 1)
    got = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if got != expected:
        raise SystemExit(f"{PACKAGE}@{VERSION}: {algorithm} is {got}, the registry says {expected}")


def select(emoji: list[dict], subcategories=SUBCATEGORIES) -> list[tuple[str, str, str]]:
    """(image file, name, subcategory) of each emoji kept, each emoji followed by its skin tones.

    An emoji is kept when its subcategory is listed and Twemoji draws it; its skin-tone variants
    come in the package's tone order (light to dark). Order: the subcategories' order, then
    Unicode's (sort_order), so the labels come out grouped.
    """
    kept = [e for e in emoji if e["subcategory"] in subcategories and e["has_img_twitter"]]
    kept.sort(key=lambda e: (subcategories.index(e["subcategory"]), e["sort_order"]))
    rows = []
    for e in kept:
        rows.append((e["image"], e["short_name"], e["subcategory"]))
        for tone, variant in sorted(e.get("skin_variations", {}).items()):
            if variant["has_img_twitter"]:
                rows.append((variant["image"], f"{e['short_name']}:{tone}", e["subcategory"]))
    return rows


def on_white(rgba: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 RGBA composited on a white background: (H, W, 3) float64 in 0..255."""
    alpha = rgba[..., 3:] / 255.0
    return rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)


def area_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in): row i averages the input pixels that output pixel i covers, by the share
    of each one it covers (a box filter; an integer ratio is a plain block mean)."""
    edges = np.arange(n_out + 1) * (n_in / n_out)  # output pixel i spans [edges[i], edges[i+1])
    left, right = edges[:-1, None], edges[1:, None]  # (n_out, 1)
    pixel = np.arange(n_in)[None, :]  # (1, n_in): input pixel j spans [j, j + 1)
    covered = np.clip(np.minimum(right, pixel + 1) - np.maximum(left, pixel), 0, None)
    return covered / covered.sum(axis=1, keepdims=True)


def shrink(image: np.ndarray, size: int) -> np.ndarray:
    """(H, W, C) float image averaged down to (size, size, C), rounded to uint8."""
    rows, cols = area_weights(image.shape[0], size), area_weights(image.shape[1], size)
    small = np.einsum("ih,hwc,jw->ijc", rows, image, cols)  # (size, size, C)
    return np.clip(np.rint(small), 0, 255).astype(np.uint8)


def distinct(images: list[np.ndarray]) -> list[int]:
    """Indices of the images unlike every earlier one: Twemoji draws a few emoji the same (the
    woman and the blond-haired woman in one skin tone), and a twin would be a sample twice."""
    first: dict[bytes, int] = {}
    for i, image in enumerate(images):
        first.setdefault(image.tobytes(), i)
    return sorted(first.values())


def build(tarball: bytes, size: int = SIZE) -> dict[str, np.ndarray]:
    """The dataset's arrays from the package's tarball: images (N, size, size, 3) uint8, labels
    (N,) uint8 indexing classes, classes (C,) and names (N,) as text."""
    with tarfile.open(fileobj=io.BytesIO(tarball)) as tar:  # in one pass: a .tgz cannot seek
        files = {
            m.name: tar.extractfile(m).read()
            for m in tar
            if m.name == "package/emoji.json" or m.name.startswith(IMAGES)
        }
    rows = select(json.loads(files["package/emoji.json"]))
    images = [
        shrink(
            on_white(np.asarray(Image.open(io.BytesIO(files[IMAGES + file])).convert("RGBA"))), size
        )
        for file, _, _ in rows
    ]
    keep = distinct(images)
    images, rows = [images[i] for i in keep], [rows[i] for i in keep]
    classes = [s for s in SUBCATEGORIES if any(r[2] == s for r in rows)]
    return {
        "images": np.stack(images),
        "labels": np.array([classes.index(r[2]) for r in rows], dtype=np.uint8),
        "classes": np.array(classes),
        "names": np.array([r[1] for r in rows]),
    }


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez_compressed with a fixed timestamp on every member, so equal arrays give equal
    bytes (np.savez stamps each member with the current time)."""
    with zipfile.ZipFile(path, "w") as npz:
        for key, value in arrays.items():
            member = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, value, allow_pickle=False)
            npz.writestr(member, buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="the package's .tgz, instead of npm pack")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tarball = (args.tarball or fetch(Path(folder))).read_bytes()
    check_integrity(tarball)
    arrays = build(tarball)
    write_npz(args.out, arrays)
    counts = np.bincount(arrays["labels"])
    print(
        f"{args.out}: {len(arrays['images'])} images {arrays['images'].shape[1:]}, "
        + ", ".join(f"{c} {n}" for c, n in zip(arrays["classes"], counts))
    )


if __name__ == "__main__":
    main()
