"""The emoji dataset as shipped, and scripts/build_emoji.py on a small package made up here (no
network): integrity, selection, compositing, shrinking, duplicates, and the same bytes twice."""

import base64
import hashlib
import importlib.util
import io
import json
import tarfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from runner.datasets import info, load

_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_emoji.py"
_spec = importlib.util.spec_from_file_location("build_emoji", _SCRIPT)
build_emoji = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_emoji)


# ------------------------------------------------------------------------------ the shipped data


def test_emoji_loads_as_rgb_pictures_with_their_subcategories():
    data = load("emoji", dtype=np.float32)
    described = info("emoji")
    assert data.shape == described.shape == (20, 20, 3) and data.color == described.color == "rgb"
    assert data.x_train.shape == (297, 1200) == (described.n_train, described.n_features)
    assert data.x_train.dtype == np.float32 and data.x_test is None
    assert data.x_train.min() == 0.0 and data.x_train.max() == 1.0
    pictures = data.x_train.reshape(-1, *data.shape)
    corners = pictures[:, [0, 0, -1, -1], [0, -1, 0, -1]]  # (N, 4, 3)
    assert (corners == 1.0).all(axis=(1, 2)).mean() > 0.9  # white but for cats' ears and horns
    assert data.classes[0] == "face-smiling" and data.classes[-1] == "person"
    counts = np.bincount(data.y_train, minlength=len(data.classes))
    assert counts.sum() == 297 and counts.min() >= 1 and counts[-1] == 167
    assert len(np.unique(data.x_train, axis=0)) == 297  # no picture twice


# ------------------------------------------------------------------------------ the build script


def _entry(name, subcategory, order, tones=(), drawn=True):
    """One emoji.json record; tones: the skin-tone code points it comes in."""
    entry = {
        "short_name": name,
        "subcategory": subcategory,
        "sort_order": order,
        "image": f"{name}.png",
        "has_img_twitter": drawn,
    }
    if tones:
        entry["skin_variations"] = {
            t: {"image": f"{name}-{t}.png", "has_img_twitter": True} for t in tones
        }
    return entry


def test_select_keeps_listed_subcategories_grouped_with_tones_in_order():
    emoji = [
        _entry("heart", "heart", 0),
        _entry("boy", "person", 1, tones=("1F3FD", "1F3FB")),
        _entry("grin", "face-smiling", 5),
        _entry("smile", "face-smiling", 2),
        _entry("ghost", "face-costume", 3, drawn=False),
    ]
    rows = build_emoji.select(emoji, ("face-smiling", "face-costume", "person"))
    assert rows == [
        ("smile.png", "smile", "face-smiling"),
        ("grin.png", "grin", "face-smiling"),
        ("boy.png", "boy", "person"),
        ("boy-1F3FB.png", "boy:1F3FB", "person"),
        ("boy-1F3FD.png", "boy:1F3FD", "person"),
    ]


def test_on_white_keeps_opaque_pixels_and_whitens_transparent_ones():
    rgba = np.array([[[10, 20, 30, 255], [10, 20, 30, 0], [0, 0, 0, 51]]], dtype=np.uint8)
    np.testing.assert_allclose(
        build_emoji.on_white(rgba), [[[10, 20, 30], [255, 255, 255], [204, 204, 204]]]
    )


def test_area_weights_average_what_each_output_pixel_covers():
    halves = build_emoji.area_weights(4, 2)
    np.testing.assert_allclose(halves, [[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])
    thirds = build_emoji.area_weights(2, 3)  # an output pixel straddling two inputs
    np.testing.assert_allclose(thirds, [[1, 0], [0.5, 0.5], [0, 1]])
    np.testing.assert_allclose(build_emoji.area_weights(64, 20).sum(axis=1), 1.0)


def test_shrink_averages_blocks_and_keeps_a_flat_image_flat():
    image = np.zeros((4, 4, 3))
    image[:2, :2] = 200.0  # the top-left block
    image[0, 3] = 100.0  # one pixel of the top-right block
    small = build_emoji.shrink(image, 2)
    assert small.dtype == np.uint8 and small.shape == (2, 2, 3)
    np.testing.assert_array_equal(small[..., 0], [[200, 25], [0, 0]])
    flat = build_emoji.shrink(np.full((64, 64, 3), 77.0), 20)
    assert (flat == 77).all()


def test_distinct_drops_later_twins():
    a, b = np.zeros((2, 2, 3), np.uint8), np.ones((2, 2, 3), np.uint8)
    assert build_emoji.distinct([a, b, a.copy(), b, a]) == [0, 1]


def test_check_integrity_accepts_the_published_hash_and_rejects_others():
    tarball = b"some bytes"
    published = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    build_emoji.check_integrity(tarball, published)
    with pytest.raises(SystemExit, match="the registry says"):
        build_emoji.check_integrity(tarball + b"!", published)


def _png(colour) -> bytes:
    """A 64x64 RGBA disc of colour on a transparent background, as Twemoji draws a face."""
    yy, xx = np.mgrid[:64, :64]
    rgba = np.zeros((64, 64, 4), np.uint8)
    rgba[(yy - 31.5) ** 2 + (xx - 31.5) ** 2 < 30**2] = (*colour, 255)
    out = io.BytesIO()
    Image.fromarray(rgba).save(out, format="PNG")
    return out.getvalue()


def _package(emoji: list[dict], pngs: dict[str, bytes]) -> bytes:
    """A .tgz laid out as the npm package is: package/emoji.json and the 64x64 images."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        files = {"package/emoji.json": json.dumps(emoji).encode()}
        files |= {build_emoji.IMAGES + name: data for name, data in pngs.items()}
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_build_writes_the_same_bytes_twice(tmp_path):
    emoji = [
        _entry("smile", "face-smiling", 0),
        _entry("boy", "person", 1, tones=("1F3FB",)),
        _entry("same", "person", 2),
        _entry("heart", "heart", 3),
    ]
    pngs = {
        "smile.png": _png((255, 200, 0)),
        "boy.png": _png((255, 200, 0)),
        "boy-1F3FB.png": _png((250, 220, 190)),
        "same.png": _png((250, 220, 190)),
        "heart.png": _png((255, 0, 0)),
    }
    arrays = build_emoji.build(_package(emoji, pngs), size=16)
    # boy is smile's twin and same is boy:1F3FB's: each is dropped, the heart is not selected
    assert arrays["names"].tolist() == ["smile", "boy:1F3FB"]
    assert arrays["classes"].tolist() == ["face-smiling", "person"]
    assert arrays["labels"].tolist() == [0, 1] and arrays["labels"].dtype == np.uint8
    images = arrays["images"]
    assert images.shape == (2, 16, 16, 3) and images.dtype == np.uint8
    assert (images[:, 0, 0] == 255).all() and images[0, 8, 8].tolist() == [255, 200, 0]
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    build_emoji.write_npz(first, arrays)
    build_emoji.write_npz(second, build_emoji.build(_package(emoji, pngs), size=16))
    assert first.read_bytes() == second.read_bytes()
    with np.load(first) as npz:
        np.testing.assert_array_equal(npz["images"], images)
