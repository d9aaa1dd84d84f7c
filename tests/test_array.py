"""array: samples from a .npy, .npz or .csv file; values in [0, 1] or whole numbers 0..255, and
any other value is an error naming its row (a CSV's line)."""

import numpy as np
import pytest

from runner import datasets
from runner.datasets import DatasetError, Source


def array_source(path, **options):
    return Source("array", path, options)


def failure(source, load=True) -> str:
    with pytest.raises(DatasetError) as err:
        (datasets.load if load else datasets.info)(source)
    return str(err.value)


def test_npy_of_images_takes_its_shape_and_scales_bytes(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (5, 9, 7), dtype=np.uint8)
    np.save(tmp_path / "x.npy", images)
    info = datasets.info(array_source(tmp_path / "x.npy"))
    assert (info.shape, info.color, info.n_train) == ((9, 7, 1), "grey", 5)
    data = datasets.load(array_source(tmp_path / "x.npy"))
    np.testing.assert_array_equal(data.x_train * 255, images.reshape(5, -1))


def test_npz_with_key_labels_and_rgb_shape(tmp_path):
    x = np.random.default_rng(0).random((4, 2 * 3 * 3))
    np.savez(tmp_path / "d.npz", pixels=x, names=np.array(["b", "a", "b", "c"]))
    source = array_source(tmp_path / "d.npz", key="pixels", labels_key="names", shape=(2, 3, 3))
    assert datasets.info(source).shape == (2, 3, 3) and datasets.info(source).color == "rgb"
    data = datasets.load(source)
    np.testing.assert_array_equal(data.x_train, x)
    assert data.classes == ["a", "b", "c"]
    np.testing.assert_array_equal(data.y_train, [1, 0, 1, 2])


def test_npz_with_several_arrays_needs_a_key(tmp_path):
    np.savez(tmp_path / "d.npz", a=np.zeros((2, 3, 3)), b=np.zeros((2, 3, 3)))
    assert failure(array_source(tmp_path / "d.npz"), load=False) == (
        f"{tmp_path / 'd.npz'} holds the arrays a, b; name the samples' one with dataset.key."
    )
    assert failure(array_source(tmp_path / "d.npz", key="c"), load=False) == (
        f"{tmp_path / 'd.npz'} has no array 'c'; it has a, b."
    )


def test_csv_with_header_and_label_column(tmp_path):
    (tmp_path / "d.csv").write_text("label,p0,p1,p2,p3\ncat,0,255,0,255\ndog,255,0,0,0\n")
    source = array_source(tmp_path / "d.csv", shape=(2, 2), label_column="first")
    assert datasets.info(source).n_train == 2
    data = datasets.load(source)
    np.testing.assert_array_equal(data.x_train, [[0, 1, 0, 1], [1, 0, 0, 0]])
    assert data.classes == ["cat", "dog"]


def test_a_shape_that_does_not_fit_the_samples(tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((3, 10)))
    assert failure(array_source(tmp_path / "x.npy"), load=False) == (
        f"{tmp_path / 'x.npy'}: samples of shape [10]; give dataset.shape: [h, w] or [h, w, 3]."
    )
    assert failure(array_source(tmp_path / "x.npy", shape=(3, 3)), load=False) == (
        f"{tmp_path / 'x.npy'}: each sample has 10 values, but dataset.shape [3, 3] needs 9."
    )


def test_a_csv_row_of_the_wrong_length(tmp_path):
    (tmp_path / "d.csv").write_text("0,1,0,1\n1,1,1,1\n1,0,1\n")
    assert failure(array_source(tmp_path / "d.csv", shape=(2, 2))) == (
        f"{tmp_path / 'd.csv'} line 3: 3 values, the first row has 4."
    )


def test_nan_names_its_row(tmp_path):
    x = np.zeros((4, 2, 2))
    x[2, 1, 0] = np.nan
    np.save(tmp_path / "x.npy", x)
    assert failure(array_source(tmp_path / "x.npy")).startswith(
        f"{tmp_path / 'x.npy'} row 2: nan at value 2; values must be"
    )


@pytest.mark.parametrize(
    "bad, message",
    [
        (-0.5, "row 1: -0.5 at value 0; the values must be in [0, 1]"),
        (300, "row 1: 300 at value 0; the values must be whole numbers 0..255"),
        (2.5, "row 1: 2.5 at value 0; the values must be whole numbers 0..255"),
    ],
)
def test_values_out_of_range_name_their_row(tmp_path, bad, message):
    x = np.full((3, 2, 2), 0.5 if bad == -0.5 else 7.0)
    x[1, 0, 0] = bad
    np.save(tmp_path / "x.npy", x)
    assert failure(array_source(tmp_path / "x.npy")).startswith(f"{tmp_path / 'x.npy'} {message}")


def test_a_csv_value_out_of_range_names_its_line(tmp_path):
    (tmp_path / "d.csv").write_text("p0,p1,p2,p3\n0,255,0,255\n0,256,0,0\n")
    assert failure(array_source(tmp_path / "d.csv", shape=(2, 2))).startswith(
        f"{tmp_path / 'd.csv'} line 3: 256 at value 1;"
    )
