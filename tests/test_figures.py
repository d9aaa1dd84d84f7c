"""Figures from plain arrays: files of the right kind and size, pictures that mean what they say,
and 60,000 MNIST codes drawn in one call per panel."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from report import figures

FONT = (7, 5)
DIGIT = (28, 28)


def _glyphs(n=32, seed=0):
    return (np.random.default_rng(seed).random((n, 35)) > 0.5).astype(float)


def _save(fig, tmp_path, name):
    path = tmp_path / name
    size = figures.save(fig, path)
    return path, size


def test_figures_are_styled_without_changing_the_callers_matplotlib(tmp_path):
    import matplotlib
    before = dict(matplotlib.rcParams)
    series = [{"label": "a", "values": np.random.default_rng(0).random((5, 40)) + 1}]
    fig = figures.learning_curves([{"title": "loss", "ylabel": "mse", "series": series}])
    _save(fig, tmp_path, "curves.svg")
    assert dict(matplotlib.rcParams) == before
    ax = fig.axes[0]
    assert not ax.spines["top"].get_visible() and ax.title.get_fontweight() == "bold"
    assert to_rgb(ax.xaxis.get_ticklabels()[0].get_color()) == to_rgb(figures.MUTED)  # made at draw


def test_svg_is_written_at_its_css_size(tmp_path):
    series = [{"label": "a", "values": np.random.default_rng(0).random((5, 40)) + 1}]
    fig = figures.learning_curves([{"title": "loss", "ylabel": "mse", "series": series}])
    path, (width, height) = _save(fig, tmp_path, "curves.svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert float(root.get("width").removesuffix("pt")) * 96 / 72 == pytest.approx(width, abs=1)
    assert (width, height) == (960, round(fig.get_figheight() * 96))


def test_png_carries_twice_its_css_pixels(tmp_path):
    fig = figures.reconstructions([{"title": "t", "originals": _glyphs(), "outputs": _glyphs()}],
                                  FONT)
    path, (width, height) = _save(fig, tmp_path, "recon.png")
    with Image.open(path) as image:
        assert abs(image.size[0] - 2 * width) <= 1 and abs(image.size[1] - 2 * height) <= 1


def test_saving_twice_gives_the_same_bytes(tmp_path):
    """Reproducible files: no date in the SVG, fixed jitter, fixed ids."""
    def draw(name):
        series = [{"label": "x", "values": [np.arange(5.0), np.arange(3.0) + 1]}]
        return _save(figures.lr_boxes(["0.1", "0.01"], series, "error"), tmp_path, name)[0]

    assert draw("a.svg").read_bytes() == draw("b.svg").read_bytes()


def test_wrong_pixels_are_red_and_right_ones_ink_or_paper():
    target = np.array([[1.0, 0.0, 1.0, 0.0]])
    output = np.array([[0.9, 0.2, 0.1, 0.7]])  # right on, right off, missing, extra
    rgb = figures.marked(output, target)
    red = np.array(to_rgb(figures.WRONG))
    np.testing.assert_allclose(rgb[0, 0], to_rgb(figures.INK))
    np.testing.assert_allclose(rgb[0, 1], [1, 1, 1])
    np.testing.assert_allclose(rgb[0, 2], red)
    np.testing.assert_allclose(rgb[0, 3], red)


def test_tile_places_each_image_with_gaps():
    images = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)  # (R, C, h, w)
    out = figures.tile(images, gap=1, fill=-1)
    assert out.shape == (2 * 2 + 1, 3 * 2 + 2)
    np.testing.assert_array_equal(out[3:5, 6:8], images[1, 2])
    assert (out[2] == -1).all() and (out[:, 2] == -1).all()


def test_latent_grid_puts_high_z2_on_top():
    grid = figures.latent_grid((0.0, 1.0, -1.0, 1.0), 3)  # (9, 2), row-major from the top
    np.testing.assert_allclose(grid[0], [0.0, 1.0])
    np.testing.assert_allclose(grid[-1], [1.0, -1.0])
    gauss = figures.gaussian_grid(5)
    assert gauss[0, 1] > 0 > gauss[-1, 1]
    np.testing.assert_allclose(gauss[0, 0], figures.GAUSSIAN_SPAN[0])


def test_every_drawing_function_draws(tmp_path):
    rng = np.random.default_rng(0)
    classes = [chr(ord("a") + i) for i in range(26)] + list("{|}~`!")
    codes = rng.random((32, 2))
    per_run = [{"title": "p", "codes": codes, "labels": np.arange(32)}]
    drawings = {
        "scatter.svg": figures.latent_scatter(per_run, classes, text=True),
        "pixel-map.svg": figures.pixel_errors(classes, [
            {"label": f"c{i}", "per_char": rng.poisson(i / 4, (3, 32))}
            for i in range(figures.MAX_BAR_PANELS + 1)]),
        "pixels.svg": figures.pixel_errors(classes, [{"label": "a", "per_char": rng.poisson(
            1, (4, 32))}]),
        "grid.png": figures.generated_grid([{"title": "g", "images": rng.random((9, 35)),
                                             "extent": (0, 1, 0, 1), "codes": codes,
                                             "labels": classes}], FONT),
        "strips.png": figures.strips([{"title": "s", "images": rng.random((11, 35))}], FONT),
        "samples.png": figures.image_grids([{"title": "s", "images": rng.random((20, 784))}],
                                           DIGIT),
        "baselines.svg": figures.denoising_baselines(
            [0.2, 0.05], [{"label": "model", "mean": [1.0, 0.3], "std": [0.1, 0.1],
                           "style": "model"},
                          {"label": "noisy", "mean": [7.0, 1.7], "std": [0, 0],
                           "style": "baseline"}], "p"),
        "convergence.svg": figures.convergence(
            [{"label": "a", "epochs_le1": np.array([10.0, np.nan]), "epochs_zero": np.array(
                [np.nan, np.nan]), "seconds_le1": np.array([0.1, np.nan]),
              "seconds_zero": np.array([np.nan, np.nan])}], classes, rng.random(32),
            np.where(rng.random((2, 32)) < 0.2, np.nan, rng.integers(1, 50, (2, 32))), 50, 0.5),
    }
    for name, fig in drawings.items():
        path, (width, height) = _save(fig, tmp_path, name)
        assert path.stat().st_size > 1000 and width > 0 and height > 0, name


def test_curves_survive_a_diverged_run(tmp_path):
    values = np.vstack([np.linspace(1, 0.1, 30), np.full(30, np.nan)])  # second run diverged
    fig = figures.learning_curves([{"title": "t", "ylabel": "y",
                                    "series": [{"label": "a", "values": values}]}])
    _save(fig, tmp_path, "c.svg")


def test_sixty_thousand_codes_are_one_call_per_panel(tmp_path):
    """The MNIST scatter and the snapshot progression draw each panel's 60,000 codes as one
    rasterised collection and each manifold as one image, never an artist per point or digit.
    (Drawing time is in benchmarks/site_render.py.)"""
    rng = np.random.default_rng(0)
    codes, labels = rng.normal(size=(60_000, 2)), rng.integers(0, 10, 60_000)
    digits = [str(d) for d in range(10)]
    scatter = figures.latent_scatter([{"title": "s", "codes": codes, "labels": labels}], digits,
                                     text=False)
    rows = [{"title": f"epoch {e}", "codes": codes * e / 5, "labels": labels,
             "manifold": rng.random((225, 784)) if e == 5 else None} for e in range(1, 6)]
    progression = figures.vae_progression(rows, digits, False, DIGIT, (-3, 3, -3, 3))
    panels = [ax for fig in (scatter, progression) for ax in fig.axes if ax.collections]
    assert len(panels) == 6
    for ax in panels:
        assert len(ax.collections) == 1 and len(ax.texts) == 0
        assert len(ax.collections[0].get_offsets()) == 60_000
        assert ax.collections[0].get_rasterized()
    assert sum(len(ax.images) for ax in progression.axes) == 1
    _save(scatter, tmp_path, "scatter.png")
    _save(progression, tmp_path, "progression.png")


def test_many_configurations_all_get_a_row_of_pixel_errors():
    rng = np.random.default_rng(0)
    classes = [str(i) for i in range(32)]
    series = [{"label": f"config {i}", "per_char": rng.poisson(1, (2, 32))}
              for i in range(figures.MAX_BAR_PANELS * 2)]
    fig = figures.pixel_errors(classes, series)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [s["label"] for s in series]
