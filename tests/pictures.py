"""Small generated picture files for the tests of the dataset forms (Pillow writes them)."""

from pathlib import Path

import numpy as np
from PIL import Image


def write_pngs(
    folder: Path,
    n: int = 6,
    size=(12, 10),
    mode: str = "L",
    seed: int = 0,
    names: str = "{:02d}.png",
) -> list[np.ndarray]:
    """n random pictures of size (h, w) in Pillow's mode, written as PNGs; their arrays."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    channels = {"L": (), "RGB": (3,), "RGBA": (4,), "LA": (2,)}[mode]
    arrays = []
    for i in range(n):
        array = rng.integers(0, 256, (*size, *channels), dtype=np.uint8)
        Image.fromarray(array, mode).save(folder / names.format(i))
        arrays.append(array)
    return arrays
