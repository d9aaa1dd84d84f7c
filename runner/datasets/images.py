"""images: every PNG, JPEG, GIF, BMP or WebP file of a folder (dataset.path), read with Pillow.

The files are taken in sorted order; when the folder has subfolders, they hold the images and
name their labels (cats/a.png is a 'cats'). The options (runner.config.schema.ImagesDataset):

    size: [h, w]          resize every image (default: the files' own size, which must agree)
    color: grey | rgb | binary   (default: grey when every file is, else rgb); binary cuts the
                          grey level at threshold
    alpha: composite      transparent pixels show the background colour (default white)
    alpha: mask           the alpha channel is the picture (silhouettes: opaque = 1)

What a config needs (the shape, the number of images) comes from the files' headers alone;
the pixels are decoded only by load, after it has estimated from the headers that they fit in
memory.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from runner import fingerprint as fingerprints
from runner.datasets.dataset import Data, DatasetError, DatasetInfo, Source, kept

NAME = "images"
KIND = "images"
SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp")
_GREY_MODES = ("1", "L", "LA", "I", "I;16", "F")
_BACKGROUNDS = {"white": (255, 255, 255), "black": (0, 0, 0)}
THRESHOLD = 0.5  # binary: the grey level from which a pixel is 1, unless dataset.threshold says
#: Share of the machine's memory that the decoded images may take.
MEMORY_SHARE = 0.5


def info(source: Source) -> DatasetInfo:
    files, _ = _listing(Path(source.path))
    heads = [_header(path) for path in files]
    h, w = _size(source, files, heads)
    color = _color(source, heads)
    return DatasetInfo(
        NAME,
        (h, w, 3 if color == "rgb" else 1),
        color,
        KIND,
        has_test=False,
        n_train=len(files),
        takes_path=True,
    )


def load(source: Source, dtype: np.dtype) -> Data:
    files, labels = _listing(Path(source.path))
    shape = info(source)
    keep = kept(len(files), source.limit)
    _fits_in_memory(source, shape, len(keep), dtype)
    x = np.empty((len(keep), shape.n_features), dtype=dtype)
    for row, i in enumerate(keep):
        x[row] = _pixels(files[i], source, shape).reshape(-1)
    classes = sorted(set(labels)) if labels else [Path(source.path).name]
    y = np.array([classes.index(labels[i]) if labels else 0 for i in keep], dtype=np.int64)
    return Data(
        NAME,
        x_train=x,
        y_train=y,
        x_test=None,
        y_test=None,
        classes=classes,
        shape=shape.shape,
        color=shape.color,
    )


def fingerprint(source: Source) -> str:
    """Hash of every image's name and bytes: an added, removed, renamed or changed image
    changes it; "unavailable" when the folder cannot be read (the loader then says why)."""
    try:
        files, _ = _listing(Path(source.path))
        return fingerprints.digest(
            [
                *(str(p.relative_to(source.path)).encode() for p in files),
                fingerprints.data(files).encode(),
            ]
        )
    except (DatasetError, OSError):
        return "unavailable"


# ---- the folder ---------------------------------------------------------------------------------


def _listing(folder: Path) -> tuple[list[Path], list[str]]:
    """The image files in order and, when they are in subfolders, each one's label."""
    if not folder.is_dir():
        raise DatasetError(f"dataset.path {folder} is not a folder.")
    top = _images_in(folder)
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    labelled = [(path, sub.name) for sub in subfolders for path in _images_in(sub)]
    if labelled and top:
        raise DatasetError(
            f"{folder} holds images both in subfolders ({labelled[0][0]}) and "
            f"beside them ({top[0]}); put every image in a subfolder (its "
            "label) or none."
        )
    if labelled:
        return [path for path, _ in labelled], [label for _, label in labelled]
    if top:
        return top, []
    others = [p.name for p in folder.iterdir() if not p.name.startswith(".")]
    if not others:
        raise DatasetError(f"{folder} is empty; it must hold PNG, JPEG, GIF, BMP or WebP files.")
    raise DatasetError(
        f"{folder} holds no PNG, JPEG, GIF, BMP or WebP file ({len(others)} "
        f"other entries, such as {min(others)})."
    )


def _images_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SUFFIXES and p.is_file() and not p.name.startswith(".")
    )


def _header(path: Path) -> tuple[int, int, str, bool]:
    """(h, w, mode, has alpha) from the file's header, once per version of the file."""
    stat = path.stat()
    return _cached_header(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1 << 16)
def _cached_header(path: Path, size: int, mtime_ns: int) -> tuple[int, int, str, bool]:
    from PIL import Image  # Pillow loads only where images are read

    try:
        with Image.open(path) as image:
            w, h = image.size
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            return h, w, image.mode, alpha
    except Image.DecompressionBombError as err:
        raise DatasetError(f"{path} is too large to read ({err}).") from None
    except (OSError, SyntaxError, ValueError) as err:  # UnidentifiedImageError is an OSError
        raise DatasetError(f"{path} is not a readable image ({_reason(err, path)}).") from None


def _reason(err: Exception, path: Path) -> str:
    """Pillow's words without the file name, which the sentence around them already gives."""
    return str(err).replace(f" {str(path)!r}", "") or type(err).__name__


def _size(source: Source, files: list[Path], heads: list[tuple]) -> tuple[int, int]:
    """(h, w): dataset.size, else the files' own size, which must then be one."""
    if source.options.get("size"):
        return tuple(source.options["size"])
    sizes = {}
    for path, (h, w, _, _) in zip(files, heads):
        sizes.setdefault((h, w), path)
    if len(sizes) > 1:
        (a, first), (b, second) = list(sizes.items())[:2]
        raise DatasetError(
            f"the images differ in size: {first} is {a[0]}x{a[1]}, {second} is "
            f"{b[0]}x{b[1]} (h x w); give dataset.size: [h, w] to resize them "
            "all."
        )
    return next(iter(sizes))


def _color(source: Source, heads: list[tuple]) -> str:
    """dataset.color, else grey when every file is grey (or only its alpha is read), else rgb."""
    if source.options.get("color"):
        return source.options["color"]
    if source.options.get("alpha") == "mask":
        return "grey"
    return "grey" if all(mode in _GREY_MODES for _, _, mode, _ in heads) else "rgb"


def _fits_in_memory(source: Source, shape: DatasetInfo, n: int, dtype: np.dtype) -> None:
    """Refuse, before decoding anything, images that would not fit in memory as floats."""
    need = n * shape.n_features * dtype.itemsize
    have = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if need > MEMORY_SHARE * have:
        raise DatasetError(
            f"{source.path}: {n} images of {shape.describe()} need {need / 1e6:,.1f} MB as "
            f"{dtype.name}, more than this machine's memory allows ({MEMORY_SHARE:.0%} of "
            f"{have / 1e9:,.1f} GB); set dataset.size or dataset.limit lower."
        )


# ---- one image ----------------------------------------------------------------------------------


def _pixels(path: Path, source: Source, shape: DatasetInfo) -> np.ndarray:
    """(h, w) or (h, w, 3) in [0, 1]."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
            picture = _picture(image, source, shape.color)
    except (OSError, SyntaxError, ValueError) as err:
        raise DatasetError(f"{path} is not a readable image ({_reason(err, path)}).") from None
    h, w = shape.image_shape
    if picture.size != (w, h):
        picture = picture.resize((w, h), Image.Resampling.LANCZOS)
    x = np.asarray(picture, dtype=np.float64) / 255
    if shape.color == "binary":
        return (x >= source.options.get("threshold", THRESHOLD)).astype(np.float64)
    return x


def _picture(image, source: Source, color: str):
    """The image as Pillow's L (grey, binary) or RGB, alpha composited or taken as the picture."""
    from PIL import Image

    rgba = image.convert("RGBA")
    if source.options.get("alpha") == "mask":
        return rgba.getchannel("A")
    background = source.options.get("background") or "white"
    fill = _BACKGROUNDS.get(background, background)
    flat = Image.alpha_composite(Image.new("RGBA", rgba.size, (*fill, 255)), rgba)
    return flat.convert("RGB" if color == "rgb" else "L")
