"""The novelty measure: nearest training pictures found block by block exactly as a brute-force
search finds them, copies of the data at distance 0 and never new, and the font's question
(which decoded points are at least k pixels from every glyph) answered from a decoded grid."""

import numpy as np
import pytest

from report import novelty
from runner import datasets


def _brute(queries, train, metric, exclude=None):
    """Every query against every training picture, one pair at a time."""
    q, t = novelty.measured(queries, metric), novelty.measured(train, metric)
    d = np.array(
        [
            [
                np.abs(a - b).sum() if metric == "hamming" else np.sqrt(np.mean((a - b) ** 2))
                for b in t
            ]
            for a in q
        ]
    )  # (S, N)
    if exclude is not None:
        d[np.arange(len(q)), exclude] = np.inf
    return d.min(axis=1), d.argmin(axis=1)


@pytest.mark.parametrize("metric", ["rms", "hamming"])
@pytest.mark.parametrize("chunk", [1, 7, 10, 23, 4096])  # one row, uneven, even, one block
def test_blocks_find_what_brute_force_finds(metric, chunk):
    rng = np.random.default_rng(1)
    train, queries = rng.random((23, 12)), rng.random((9, 12))  # 23 = 3 blocks of 7 and 2 more
    dist, index = novelty.nearest(queries, train, metric, chunk=chunk)
    want_dist, want_index = _brute(queries, train, metric)
    np.testing.assert_allclose(dist, want_dist, rtol=1e-12, atol=1e-12)
    # the index found is a nearest one (ties may pick either)
    picked = novelty.measured(train[index], metric) - novelty.measured(queries, metric)
    chosen = (
        np.abs(picked).sum(axis=1) if metric == "hamming" else np.sqrt(np.mean(picked**2, axis=1))
    )
    np.testing.assert_allclose(chosen, want_dist, rtol=1e-12, atol=1e-12)
    if metric == "rms":  # continuous values: no ties
        np.testing.assert_array_equal(index, want_index)


@pytest.mark.parametrize("chunk", [4, 10, 4096])
def test_the_training_reference_leaves_each_picture_itself_out(chunk):
    train = np.random.default_rng(2).random((10, 6))
    ref = novelty.reference(train, "rms", count=10)
    want, _ = _brute(train, train, "rms", exclude=np.arange(10))
    np.testing.assert_allclose(
        novelty.nearest(train, train, "rms", np.arange(10), chunk)[0], want, rtol=1e-12
    )
    np.testing.assert_allclose(ref.distances, want, rtol=1e-12)
    assert (ref.measured, ref.of) == (10, 10) and ref.low <= ref.median <= ref.high


def test_a_reference_of_a_large_set_measures_evenly_spaced_pictures_against_all():
    train = np.random.default_rng(3).random((50, 4))
    ref = novelty.reference(train, "rms", count=5)
    picked = novelty.spaced(50, 5)
    np.testing.assert_array_equal(picked, [0, 12, 24, 37, 49])
    want, _ = _brute(train[picked], train, "rms", exclude=picked)
    np.testing.assert_allclose(ref.distances, want, rtol=1e-12)
    assert (ref.measured, ref.of) == (5, 50)


@pytest.mark.parametrize("metric", ["rms", "hamming"])
def test_a_copy_of_a_training_picture_is_at_distance_zero_and_not_new(metric):
    rng = np.random.default_rng(4)
    train = rng.random((300, 784)).astype(np.float32)  # float32 as MNIST runs store it
    samples = np.concatenate([train[[17]], rng.random((3, 784))])
    dist, index = novelty.nearest(samples, train, metric, chunk=64)
    assert dist[0] == 0.0 and index[0] == 17
    verdict = novelty.verdict(dist, novelty.reference(train, metric))
    assert not verdict["new"][0] and verdict["like"][0]


def test_a_decoded_grid_holding_a_glyph_reports_it_at_zero_pixels():
    """The study's "generate a new character": decoded points at least k pixels from every
    glyph are new characters; a grid point that decodes to a glyph (grey values that threshold
    to it) is 0 pixels away, so it is not one."""
    glyphs = datasets.load("font").x_train  # (32, 35)
    rng = np.random.default_rng(5)
    grid = rng.random((225, 35))  # (G*G, D) decoder outputs in [0, 1]
    grid[40] = np.where(glyphs[9] > 0.5, 0.8, 0.3)  # glyph 9, as a decoder draws it
    dist, index = novelty.nearest(grid, glyphs, novelty.metric_of("binary"))
    assert dist[40] == 0 and index[40] == 9
    far = dist >= novelty.K_PIXELS
    assert not far[40] and far.sum() > 200  # random pictures are far from every glyph
    assert np.all(dist == np.round(dist))  # whole pixels


def test_the_rules_read_against_the_training_distances():
    ref = novelty.Reference(np.arange(1.0, 101.0), 100, 100)  # median 50.5, 95th pct 95.05
    verdict = novelty.verdict(np.array([0.0, 50.5, 51.0, 95.0, 96.0]), ref)
    np.testing.assert_array_equal(verdict["new"], [False, False, True, True, True])
    np.testing.assert_array_equal(verdict["like"], [True, True, True, True, False])


def test_a_single_training_picture_has_no_reference():
    with pytest.raises(ValueError, match="two pictures"):
        novelty.reference(np.zeros((1, 4)), "rms")


# ------------------------------------------------------------------------------ the figure


def _block(shape, rng, binary):
    d = int(np.prod(shape))
    samples, neighbours = rng.random((16, d)), rng.random((16, d))
    if binary:
        samples, neighbours = (samples > 0.5) * 1.0, (neighbours > 0.5) * 1.0
    distances = np.arange(16.0) if binary else np.linspace(0.05, 0.4, 16)
    grid = rng.random((225, d))
    return {
        "title": "seed 0",
        "rows": [
            {
                "heading": "100 samples of the prior: 3 of 100 new",
                "samples": samples,
                "neighbours": neighbours,
                "distances": distances,
                "new": distances > distances[8],
            }
        ],
        "map": {"heading": "New characters", "images": grid, "marked": grid[:, 0] > 0.5}
        if binary
        else None,
        "histogram": {
            "reference": rng.random(40),
            "reference_label": "training",
            "xlabel": "distance",
            "lines": [{"label": "median", "at": 0.5}, {"label": "95th", "at": 0.9}],
            "sets": [{"label": "prior", "distances": distances}],
        },
    }


@pytest.mark.parametrize(
    "shape, binary",
    [((7, 5, 1), True), ((28, 28, 1), False), ((16, 12, 3), False), ((9, 20, 3), False)],
)
def test_the_figure_shows_each_pair_with_its_distance_and_no_text_over_another(
    tmp_path, shape, binary
):
    from report.figures import checks
    from report.figures import novelty as drawn
    from report.figures.style import save

    fig = drawn.nearest_pairs([_block(shape, np.random.default_rng(6), binary)], shape, binary)
    assert checks.overlapping_texts(fig) == [] and checks.texts_outside(fig) == []
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert ("15 px" if binary else "0.400") in texts and len(
        [t for t in texts if t.endswith("px") or t.startswith("0.")]
    ) == 16
    pictures = [im.get_array() for ax in fig.axes for im in ax.images]
    assert all(p.shape[-1] == 3 for p in pictures)  # drawn as RGB, colour kept
    h, w = shape[:2]
    assert pictures[0].shape[:2] == (h, 8 * (2 * w + 1) + 7 * drawn._pair_gap(w))
    assert len(pictures) == 2 + binary  # two rows of pairs, and the plane's map when binary
    assert all(0 <= ax.get_position().y0 and ax.get_position().y1 <= 1 for ax in fig.axes)
    assert save(fig, tmp_path / "novelty.png")[0] == 960  # a slide wide


# ------------------------------------------------------------------------------ the slide


@pytest.mark.parametrize(
    "model, latent, applies",
    [
        ("vae", (2,), True),
        ("vae", (3,), True),
        ("autoencoder", (2,), True),
        ("autoencoder", (2, 3), False),
        ("autoencoder", (3,), False),
    ],
)
def test_the_slide_judges_vaes_and_autoencoders_with_a_plane(model, latent, applies):
    from report.slides import get

    class Facts:  # the facts the rule reads
        pass

    facts = Facts()
    facts.model, facts.latent_sizes = model, latent
    why = get("novelty").why_not(facts)
    assert (why is None) == applies
    if not applies:
        assert why == (
            f"needs a 2-D latent, but model.architectures[{latent.index(3)}] has a "
            "3-D one (or model.kind: vae)"
        )
