"""images: a folder of PNG, JPEG, GIF, BMP or WebP files, read with Pillow; every kind of bad
folder is one sentence naming the file, before any pixel is decoded where the headers tell."""

import numpy as np
import pytest
from PIL import Image

from pictures import write_pngs
from runner import datasets
from runner.datasets import DatasetError, Source, images


def folder_source(path, limit=None, **options):
    return Source("images", path, options, limit)


def test_grey_pngs_in_sorted_order_scaled_to_0_1(tmp_path):
    arrays = write_pngs(tmp_path / "p", n=3, size=(12, 10))
    (tmp_path / "p" / "notes.txt").write_text("not a picture")  # other files are not read
    info = datasets.info(folder_source(tmp_path / "p"))
    assert (info.shape, info.color, info.n_train, info.n_features) == ((12, 10, 1), "grey", 3, 120)
    data = datasets.load(folder_source(tmp_path / "p"), np.float32)
    assert data.x_train.shape == (3, 120) and data.x_train.dtype == np.float32
    expected = np.stack(arrays).reshape(3, -1).astype(np.float64) / 255
    np.testing.assert_allclose(data.x_train, expected, rtol=1e-6)
    assert data.shape == (12, 10, 1) and data.image_shape == (12, 10)


def test_rgb_pixels_keep_their_channels_in_order(tmp_path):
    arrays = write_pngs(tmp_path / "p", n=2, size=(4, 5), mode="RGB")
    data = datasets.load(folder_source(tmp_path / "p"))
    assert data.color == "rgb" and data.shape == (4, 5, 3)
    np.testing.assert_array_equal(data.x_train.reshape(2, 4, 5, 3) * 255, np.stack(arrays))


def test_size_color_threshold_and_limit(tmp_path):
    write_pngs(tmp_path / "p", n=10, size=(20, 20), mode="RGB")
    source = folder_source(tmp_path / "p", limit=4, size=(8, 6), color="binary", threshold=0.3)
    assert datasets.info(source).shape == (8, 6, 1)
    data = datasets.load(source)
    assert data.x_train.shape == (4, 48) and set(np.unique(data.x_train)) <= {0.0, 1.0}


def test_alpha_composited_on_the_background_or_taken_as_the_picture(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    picture = np.zeros((2, 2, 4), dtype=np.uint8)
    picture[0, 0] = (0, 0, 0, 255)  # one opaque black pixel, the rest transparent
    Image.fromarray(picture, "RGBA").save(folder / "a.png")
    on_white = datasets.load(folder_source(folder, color="grey")).x_train[0]
    np.testing.assert_array_equal(on_white, [0, 1, 1, 1])
    on_black = datasets.load(folder_source(folder, color="grey", background="black")).x_train[0]
    np.testing.assert_array_equal(on_black, [0, 0, 0, 0])
    mask = datasets.load(folder_source(folder, alpha="mask"))
    assert mask.color == "grey"
    np.testing.assert_array_equal(mask.x_train[0], [1, 0, 0, 0])


def test_subfolders_are_the_labels(tmp_path):
    write_pngs(tmp_path / "p" / "cats", n=2, size=(4, 4))
    write_pngs(tmp_path / "p" / "dogs", n=3, size=(4, 4))
    data = datasets.load(folder_source(tmp_path / "p"))
    assert data.classes == ["cats", "dogs"]
    np.testing.assert_array_equal(data.y_train, [0, 0, 1, 1, 1])


def test_every_format_is_read(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    picture = Image.fromarray(np.full((3, 3), 200, dtype=np.uint8), "L")
    for suffix in ("png", "jpg", "gif", "bmp", "webp"):
        picture.save(folder / f"a.{suffix}")
    assert datasets.info(folder_source(folder)).n_train == 5


def test_a_changed_or_added_image_changes_the_fingerprint(tmp_path):
    write_pngs(tmp_path / "p", n=3)
    source = folder_source(tmp_path / "p")
    first = datasets.fingerprint(source)
    assert datasets.fingerprint(source) == first
    write_pngs(tmp_path / "p", n=3, seed=1)  # the same names, other pixels
    changed = datasets.fingerprint(source)
    write_pngs(tmp_path / "p", n=1, names="zz.png")
    assert len({first, changed, datasets.fingerprint(source)}) == 3


# ---- bad folders: one sentence each, naming the file ------------------------------------------


def failure(source, load=False) -> str:
    with pytest.raises(DatasetError) as err:
        (datasets.load if load else datasets.info)(source)
    return str(err.value)


def test_an_empty_folder(tmp_path):
    (tmp_path / "p").mkdir()
    assert failure(folder_source(tmp_path / "p")) == (
        f"{tmp_path / 'p'} is empty; it must hold PNG, JPEG, GIF, BMP or WebP files."
    )


def test_a_folder_of_other_files(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.txt").write_text("x")
    (tmp_path / "p" / "b.csv").write_text("1,2")
    assert failure(folder_source(tmp_path / "p")) == (
        f"{tmp_path / 'p'} holds no PNG, JPEG, GIF, BMP or WebP file (2 other entries, such "
        "as a.txt)."
    )


def test_a_corrupt_png_is_named_when_its_header_is_read(tmp_path):
    write_pngs(tmp_path / "p", n=2)
    (tmp_path / "p" / "01.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    assert failure(folder_source(tmp_path / "p")).startswith(
        f"{tmp_path / 'p' / '01.png'} is not a readable image ("
    )


def test_a_cut_png_is_named_when_its_pixels_are_read(tmp_path):
    write_pngs(tmp_path / "p", n=2)
    whole = (tmp_path / "p" / "01.png").read_bytes()
    (tmp_path / "p" / "01.png").write_bytes(whole[: len(whole) // 2])
    assert datasets.info(folder_source(tmp_path / "p")).n_train == 2  # the header is whole
    assert failure(folder_source(tmp_path / "p"), load=True).startswith(
        f"{tmp_path / 'p' / '01.png'} is not a readable image ("
    )


def test_sizes_that_differ_are_one_error_naming_two_files(tmp_path):
    write_pngs(tmp_path / "p", n=2, size=(16, 16))
    write_pngs(tmp_path / "p", n=1, size=(20, 16), names="z.png")
    message = failure(folder_source(tmp_path / "p"))
    assert message == (
        f"the images differ in size: {tmp_path / 'p' / '00.png'} is 16x16, "
        f"{tmp_path / 'p' / 'z.png'} is 20x16 (h x w); give dataset.size: "
        "[h, w] to resize them all."
    )
    assert datasets.info(folder_source(tmp_path / "p", size=(8, 8))).shape == (8, 8, 1)


def test_images_beside_subfolders(tmp_path):
    write_pngs(tmp_path / "p" / "cats", n=1)
    write_pngs(tmp_path / "p", n=1)
    assert "put every image in a subfolder (its label) or none" in failure(
        folder_source(tmp_path / "p")
    )


def test_too_large_for_memory_is_said_before_decoding(tmp_path, monkeypatch):
    write_pngs(tmp_path / "p", n=4, size=(64, 64), mode="RGB")
    decoded, decode = [], images._pixels
    monkeypatch.setattr(images, "_pixels", lambda *args: decoded.append(1) or decode(*args))
    need = 4 * 64 * 64 * 3 * 8  # float64
    monkeypatch.setattr(images, "MEMORY_SHARE", need * 0.99 / _memory())
    message = failure(folder_source(tmp_path / "p"), load=True)
    assert message.startswith(
        f"{tmp_path / 'p'}: 4 images of 64x64 RGB need 0.4 MB as "
        "float64, more than this machine's memory allows ("
    )
    assert decoded == []
    # the same images fit at a lower limit, or in float32
    assert datasets.load(folder_source(tmp_path / "p", limit=2)).x_train.shape == (2, 12288)
    assert datasets.load(folder_source(tmp_path / "p"), np.float32).x_train.shape[0] == 4


def _memory() -> int:
    import os

    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
