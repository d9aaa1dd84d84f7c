"""The linear baseline: the exact rank-k PCA reconstruction, checked against an SVD of our own."""

import numpy as np
import pytest

from runner import datasets, pca

FONT = datasets.load("font").x_train  # (32, 35)


def _by_eigenvectors(x, k):
    """The same reconstruction by another road: the top k eigenvectors of the covariance."""
    mean = x.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(x - mean, rowvar=False))
    top = vectors[:, np.argsort(values)[::-1][:k]]  # (D, k)
    return mean + (x - mean) @ top @ top.T


@pytest.mark.parametrize("k", [1, 2, 5, 10])
def test_reconstruction_is_the_projection_onto_the_top_principal_directions(k):
    np.testing.assert_allclose(pca.reconstruct(FONT, k), _by_eigenvectors(FONT, k), atol=1e-9)


@pytest.mark.parametrize("k", [1, 2, 8])
def test_its_squared_error_is_the_discarded_variance_and_no_rank_k_map_does_better(k):
    centred = FONT - FONT.mean(axis=0)
    singular = np.linalg.svd(centred, compute_uv=False)
    error = np.square(pca.reconstruct(FONT, k) - FONT).sum()
    assert error == pytest.approx(np.square(singular[k:]).sum(), rel=1e-9)  # Eckart-Young
    rng = np.random.default_rng(0)
    for _ in range(20):  # any other k-dimensional projection of the centred data loses more
        basis, _ = np.linalg.qr(rng.standard_normal((FONT.shape[1], k)))
        other = FONT.mean(axis=0) + centred @ basis @ basis.T
        assert np.square(other - FONT).sum() > error


def test_a_full_rank_code_reconstructs_exactly():
    np.testing.assert_allclose(pca.reconstruct(FONT, FONT.shape[1]), FONT, atol=1e-12)


def test_measures_count_wrong_pixels_as_the_autoencoders_do():
    found = pca.measures(FONT, 2)
    output = pca.reconstruct(FONT, 2)
    wrong = ((output > 0.5) != (FONT > 0.5)).sum(axis=1)
    np.testing.assert_array_equal(found["per_char"], wrong)
    assert found["errors"].wrong_pixels == wrong.mean()
    assert found["errors"].worst_character == wrong.max()
    assert found["errors"].mse == pytest.approx(np.square(output - FONT).mean())
    # the font's rank-2 optimum, as a public course repository reports it: 7.19 mean, 15 max
    assert (round(wrong.mean(), 2), wrong.max()) == (7.19, 15)
