"""Figures from plain arrays: files of the right kind and size, pictures that mean what they say,
60,000 MNIST codes drawn in one call per panel, and every kind readable when crowded: no text over
another, none cut by the edge, a handful of lines per axes, every character labelled."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from report.figures import characters, checks, comparisons, curves, latent, pictures, style

FONT = (7, 5, 1)
DIGIT = (28, 28, 1)
FLAT = (6, 10, 3)  # RGB pictures wider than high
TALL = (10, 6, 1)  # grey pictures higher than wide


def _glyphs(n=32, seed=0):
    return (np.random.default_rng(seed).random((n, 35)) > 0.5).astype(float)


def _save(fig, tmp_path, name):
    path = tmp_path / name
    size = style.save(fig, path)
    return path, size


def test_figures_are_styled_without_changing_the_callers_matplotlib(tmp_path):
    import matplotlib

    before = dict(matplotlib.rcParams)
    series = [{"label": "a", "values": np.random.default_rng(0).random((5, 40)) + 1}]
    fig = curves.learning_curves([{"title": "loss", "ylabel": "mse", "series": series}])
    _save(fig, tmp_path, "curves.svg")
    assert dict(matplotlib.rcParams) == before
    ax = fig.axes[0]
    assert not ax.spines["top"].get_visible() and ax.title.get_fontweight() == "bold"
    assert to_rgb(ax.xaxis.get_ticklabels()[0].get_color()) == to_rgb(style.TEXT)  # made at draw


def test_svg_is_written_at_its_css_size(tmp_path):
    series = [{"label": "a", "values": np.random.default_rng(0).random((5, 40)) + 1}]
    fig = curves.learning_curves([{"title": "loss", "ylabel": "mse", "series": series}])
    path, (width, height) = _save(fig, tmp_path, "curves.svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert float(root.get("width").removesuffix("pt")) * 96 / 72 == pytest.approx(width, abs=1)
    assert (width, height) == (960, round(fig.get_figheight() * 96))


def test_png_carries_twice_its_css_pixels(tmp_path):
    fig = pictures.reconstructions(
        [{"title": "t", "originals": _glyphs(), "outputs": _glyphs()}], FONT
    )
    path, (width, height) = _save(fig, tmp_path, "recon.png")
    with Image.open(path) as image:
        assert abs(image.size[0] - 2 * width) <= 1 and abs(image.size[1] - 2 * height) <= 1


def test_saving_twice_gives_the_same_bytes(tmp_path):
    """Reproducible files: no date in the SVG, fixed jitter, fixed ids."""

    def draw(name):
        series = [{"label": "x", "values": [np.arange(5.0), np.arange(3.0) + 1]}]
        return _save(comparisons.lr_boxes(["0.1", "0.01"], series, "error"), tmp_path, name)[0]

    assert draw("a.svg").read_bytes() == draw("b.svg").read_bytes()


def test_wrong_pixels_are_red_and_right_ones_ink_or_paper():
    target = np.array([[1.0, 0.0, 1.0, 0.0]])
    output = np.array([[0.9, 0.2, 0.1, 0.7]])  # right on, right off, missing, extra
    rgb = pictures.marked(output, target, (1, 4, 1))[0, 0]  # (4, 3): one row of four pixels
    red = np.array(to_rgb(style.WRONG))
    np.testing.assert_allclose(rgb[0], to_rgb(style.INK))
    np.testing.assert_allclose(rgb[1], [1, 1, 1])
    np.testing.assert_allclose(rgb[2], red)
    np.testing.assert_allclose(rgb[3], red)


def test_rgb_samples_keep_their_colours_and_grey_ones_are_ink_on_paper():
    """A sample is its pixels row by row, each pixel's channels in turn (runner.datasets.Data)."""
    pixels = np.random.default_rng(0).random((2, 3, 3))  # (h, w, 3)
    picture = pictures.rgb(pixels.reshape(1, -1), (2, 3, 3))
    assert picture.shape == (1, 2, 3, 3)
    np.testing.assert_allclose(picture[0], pixels)
    grey = pictures.rgb(np.array([[0.0, 1.0, 0.5, 1.0, 0.0, 0.0]]), (2, 3, 1))[0]  # (2, 3, 3)
    np.testing.assert_allclose(grey[0, 0], [1, 1, 1])  # 0 is paper
    np.testing.assert_allclose(grey[0, 1], to_rgb(style.INK))  # 1 is ink
    np.testing.assert_allclose(grey[0, 2], (1 + np.array(to_rgb(style.INK))) / 2)


def test_tile_places_each_image_with_gaps():
    images = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)  # (R, C, h, w)
    out = pictures.tile(images, gap=1, fill=-1)
    assert out.shape == (2 * 2 + 1, 3 * 2 + 2)
    np.testing.assert_array_equal(out[3:5, 6:8], images[1, 2])
    assert (out[2] == -1).all() and (out[:, 2] == -1).all()


def test_latent_grid_puts_high_z2_on_top():
    grid = latent.latent_grid((0.0, 1.0, -1.0, 1.0), 3)  # (9, 2), row-major from the top
    np.testing.assert_allclose(grid[0], [0.0, 1.0])
    np.testing.assert_allclose(grid[-1], [1.0, -1.0])


def test_every_drawing_function_draws(tmp_path):
    rng = np.random.default_rng(0)
    classes = [chr(ord("a") + i) for i in range(26)] + list("{|}~`!")
    codes = rng.random((32, 2))
    per_run = [{"title": "p", "codes": codes, "labels": np.arange(32)}]
    drawings = {
        "scatter.svg": latent.latent_scatter(per_run, classes, text=True),
        "pixel-map.svg": characters.pixel_errors(
            classes,
            [
                {"label": f"c{i}", "per_char": rng.poisson(i / 4, (3, 32))}
                for i in range(characters.MAX_BAR_PANELS + 1)
            ],
        ),
        "pixels.svg": characters.pixel_errors(
            classes, [{"label": "a", "per_char": rng.poisson(1, (4, 32))}]
        ),
        "grid.png": latent.generated_grid(
            [
                {
                    "title": "g",
                    "images": rng.random((9, 35)),
                    "extent": (0, 1, 0, 1),
                    "codes": codes,
                    "labels": classes,
                }
            ],
            FONT,
        ),
        "strips.png": pictures.strips(
            [{"title": "s", "images": pictures.rgb(rng.random((11, 35)), FONT)}]
        ),
        "samples.png": pictures.image_grids(
            [{"title": "s", "images": rng.random((20, 784))}], DIGIT
        ),
        "baselines.svg": curves.denoising_baselines(
            [0.2, 0.05],
            [
                {"label": "model", "mean": [1.0, 0.3], "std": [0.1, 0.1], "style": "model"},
                {"label": "noisy", "mean": [7.0, 1.7], "std": [0, 0], "style": "baseline"},
            ],
            "p",
            "wrong pixels per character",
        ),
        "convergence.svg": curves.convergence(
            [
                {
                    "label": "a",
                    "epochs_le1": np.array([10.0, np.nan]),
                    "epochs_zero": np.array([np.nan, np.nan]),
                    "seconds_le1": np.array([0.1, np.nan]),
                    "seconds_zero": np.array([np.nan, np.nan]),
                }
            ],
            classes,
            rng.random(32),
            np.where(rng.random((2, 32)) < 0.2, np.nan, rng.integers(1, 50, (2, 32))),
            50,
            0.5,
        ),
    }
    for name, fig in drawings.items():
        path, (width, height) = _save(fig, tmp_path, name)
        assert path.stat().st_size > 1000 and width > 0 and height > 0, name


def test_curves_survive_a_diverged_run(tmp_path):
    """A run whose loss went NaN leaves the curve to the runs that did not diverge."""
    values = np.vstack([np.linspace(1, 0.1, 30), np.full(30, np.nan)])  # second run diverged
    fig = curves.learning_curves(
        [{"title": "t", "ylabel": "y", "series": [{"label": "a", "values": values}]}]
    )
    _save(fig, tmp_path, "c.svg")
    (line,) = fig.axes[0].get_lines()
    np.testing.assert_allclose(line.get_xdata(), np.arange(1, 31))
    np.testing.assert_allclose(line.get_ydata(), values[0])


def test_sixty_thousand_codes_are_one_call_per_panel(tmp_path):
    """The MNIST scatter and the snapshot progression draw each panel's 60,000 codes as one
    rasterised collection and each manifold as one image, never an artist per point or digit.
    (Drawing time is in benchmarks/site_render.py.)"""
    rng = np.random.default_rng(0)
    codes, labels = rng.normal(size=(60_000, 2)), rng.integers(0, 10, 60_000)
    digits = [str(d) for d in range(10)]
    scatter = latent.latent_scatter(
        [{"title": "s", "codes": codes, "labels": labels}], digits, text=False
    )
    rows = [
        {
            "title": f"epoch {e}",
            "codes": codes * e / 5,
            "labels": labels,
            "manifold": rng.random((225, 784)) if e == 5 else None,
        }
        for e in range(1, 6)
    ]
    progression = latent.vae_progression(rows, digits, False, DIGIT, (-3, 3, -3, 3))
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
    series = [
        {"label": f"config {i}", "per_char": rng.poisson(1, (2, 32))}
        for i in range(characters.MAX_BAR_PANELS * 2)
    ]
    fig = characters.pixel_errors(classes, series)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [s["label"] for s in series]


# ------------------------------------------------------------------------------ crowded


CLASSES = ["`"] + [chr(ord("a") + i) for i in range(26)] + list("{|}~") + ["DEL"]  # the font's
FASHION = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]  # class names longer than a digit
LONG = "SGD, momentum 0.9 · 0.0005 · xavier · standardised inputs"
OPTIMISERS = ["SGD · 64", "SGD, momentum 0.9 · 10", "Adam · 0.03"]
SETTINGS = [
    f"{i} · {n}" for i in ("uniform", "xavier", "he") for n in ("raw inputs", "standardised inputs")
]
ARCHITECTURES = [
    "35-128-32-128-35",
    "35-20-10-2-10-20-35",
    "35-20-2-20-35",
    "35-20-10-5-2-5-10-20-35",
]


def _blob(rng, n=32):
    """Codes piled on one spot, with a few far away: the worst case for labels."""
    codes = rng.normal(scale=0.02, size=(n, 2))
    codes[:4] += rng.normal(size=(4, 2))
    return codes


def _curves(rng, groups, labels, epochs=300):
    return [
        {
            "label": label,
            "group": group,
            "values": (rng.random((3, epochs)) + 0.2) * np.geomspace(100, 1, epochs),
        }
        for group in groups
        for label in labels
    ]


def _crowded(name):
    """Each kind of figure with as many series, labels and as long titles as the study has."""
    rng = np.random.default_rng(1)
    digits = [str(d) for d in range(10)]

    def glyphs():
        return pictures.rgb(rng.random((8, 35)), FONT)

    build = {
        "curves-18": lambda: curves.learning_curves(
            [
                {
                    "title": "training loss",
                    "ylabel": "mean squared error",
                    "series": _curves(rng, OPTIMISERS, SETTINGS),
                },
                {
                    "title": "worst character",
                    "ylabel": "wrong pixels, worst character",
                    "series": _curves(rng, OPTIMISERS, SETTINGS),
                },
            ]
        ),
        "curves-16": lambda: curves.learning_curves(
            [
                {
                    "title": "training loss",
                    "ylabel": "cross-entropy",
                    "series": _curves(
                        rng, ARCHITECTURES, [f"p = {p}" for p in (0.05, 0.1, 0.2, 0.3)], 3000
                    ),
                }
            ]
        ),
        "scatter": lambda: latent.latent_scatter(
            [
                {"title": f"{LONG} · seed {35 + i}", "codes": _blob(rng), "labels": np.arange(32)}
                for i in range(6)
            ],
            CLASSES,
            text=True,
        ),
        "scatter-digits": lambda: latent.latent_scatter(
            [
                {
                    "title": f"{LONG} · seed {i}",
                    "labels": rng.integers(0, 10, 3005),
                    "codes": np.r_[rng.normal(size=(3000, 2)), rng.normal(scale=30, size=(5, 2))],
                }
                for i in range(3)
            ],
            digits,
            text=False,
        ),
        "progression": lambda: latent.vae_progression(
            [
                {
                    "title": f"epoch {e}",
                    "codes": _blob(rng) * e,
                    "labels": np.arange(32),
                    "manifold": rng.random((225, 35)) if e % 2 else None,
                }
                for e in range(1, 7)
            ],
            CLASSES,
            True,
            FONT,
            (-2, 2, -2, 2),
        ),
        "progression-digits": lambda: latent.vae_progression(
            [
                {
                    "title": f"epoch {e}",
                    "codes": rng.normal(size=(3000, 2)) * e,
                    "labels": rng.integers(0, 10, 3000),
                    "manifold": rng.random((225, 784)),
                }
                for e in range(1, 6)
            ],
            digits,
            False,
            DIGIT,
            (-2.5, 2.5, -2.5, 2.5),
        ),
        "grid": lambda: latent.generated_grid(
            [
                {
                    "title": f"{LONG} · seed {i}",
                    "images": rng.random((225, 35)),
                    "extent": (-1, 1, -1, 1),
                    "codes": np.r_[_blob(rng, 30), [[3, 3], [-4, 0]]],
                    "labels": CLASSES,
                }
                for i in range(4)
            ],
            FONT,
        ),
        "overview": lambda: comparisons.overview(
            [
                {"label": f"{o} · {s}", "mean": m, "low": m - 0.3, "high": m + 0.3, "best": k == 4}
                for k, ((o, s), m) in enumerate(
                    zip([(o, s) for o in OPTIMISERS for s in SETTINGS], rng.random(18) * 3 + 0.5)
                )
            ],
            "wrong pixels per character",
        ),
        "lr": lambda: comparisons.lr_boxes(
            ["0.05", "0.005", "0.0005", "0.00005"],
            [
                {"label": f"{a} · xavier", "values": [rng.random(10) + k for k in range(4)]}
                for a in ARCHITECTURES
            ],
            "wrong pixels per character",
        ),
        "baselines": lambda: curves.denoising_baselines(
            [0.05, 0.1, 0.2, 0.3],
            [
                *(
                    {
                        "label": f"model: {a}",
                        "mean": rng.random(4) + 0.01,
                        "std": rng.random(4) / 10,
                        "style": "model",
                    }
                    for a in ARCHITECTURES
                ),
                *(
                    {
                        "label": label,
                        "mean": rng.random(4) * 5,
                        "std": rng.random(4) / 100,
                        "style": "baseline",
                    }
                    for label in ("noisy input", "nearest glyph", "Bayes-optimal")
                ),
            ],
            "bit-flip probability p",
            "wrong pixels per character",
        ),
        "convergence": lambda: curves.convergence(
            [
                {
                    "label": f"{a} · 0.03",
                    **{
                        f"{k}_{b}": rng.integers(1, 500, 10).astype(float)
                        for k in ("epochs", "seconds")
                        for b in ("le1", "zero")
                    },
                }
                for a in ARCHITECTURES
            ],
            CLASSES,
            rng.random(32),
            rng.integers(1, 500, (40, 32)).astype(float),
            500,
            500.0,
        ),
        "pixel-map": lambda: characters.pixel_errors(
            CLASSES,
            [
                {"label": f"{o} · {s}", "per_char": rng.poisson(1, (3, 32))}
                for o in OPTIMISERS
                for s in SETTINGS
            ],
        ),
        "pixel-bars": lambda: characters.pixel_errors(
            CLASSES,
            [{"label": f"{a} · 0.03", "per_char": rng.poisson(1, (3, 32))} for a in ARCHITECTURES],
        ),
        "scatter-images": lambda: latent.latent_scatter(
            [
                {
                    "title": f"{LONG} · seed {i}",
                    "labels": rng.integers(0, 10, 500),
                    "codes": rng.normal(size=(500, 2)),
                }
                for i in range(2)
            ],
            FASHION,
            text=False,
        ),
        "scatter-unlabelled": lambda: latent.latent_scatter(
            [{"title": "seed 1", "labels": np.zeros(40, int), "codes": rng.normal(size=(40, 2))}],
            ["pictures"],
            text=False,
        ),
        "progression-images": lambda: latent.vae_progression(
            [
                {
                    "title": f"epoch {e}",
                    "codes": rng.normal(size=(300, 2)) * e,
                    "labels": rng.integers(0, 10, 300),
                    "manifold": rng.random((225, 180)),
                }
                for e in range(1, 4)
            ],
            FASHION,
            False,
            FLAT,
            (-2.5, 2.5, -2.5, 2.5),
        ),
        "grid-rgb": lambda: latent.generated_grid(
            [
                {
                    "title": f"{LONG} · seed {i}",
                    "images": rng.random((225, 180)),
                    "extent": (-1, 1, -1, 1),
                    "codes": rng.normal(size=(10, 2)),
                    "labels": FASHION,
                }
                for i in range(2)
            ],
            FLAT,
        ),
        "samples": lambda: pictures.image_grids(
            [{"title": f"{LONG} · seed {i}", "images": rng.random((100, 784))} for i in range(3)],
            DIGIT,
        ),
        "strips": lambda: pictures.strips(
            [
                {
                    "title": f"{LONG} · seed 3: “a” to “b”",
                    "images": pictures.rgb(rng.random((11, 35)), FONT),
                }
            ]
            * 3
        ),
        "labelled-rows": lambda: pictures.labelled_rows(
            [[{"label": "clean", "images": glyphs()}]]
            + [
                [
                    {"label": f"noisy, p = 0.{k}", "images": glyphs()},
                    {"label": "denoised, seed 12", "images": glyphs()},
                ]
                for k in range(1, 5)
            ]
        ),
    }
    return build[name]()


KINDS = [
    "curves-18",
    "curves-16",
    "scatter",
    "scatter-digits",
    "scatter-images",
    "scatter-unlabelled",
    "progression",
    "progression-digits",
    "progression-images",
    "grid",
    "grid-rgb",
    "overview",
    "lr",
    "baselines",
    "convergence",
    "pixel-map",
    "pixel-bars",
    "samples",
    "strips",
    "labelled-rows",
]


@pytest.mark.parametrize("name", KINDS)
def test_no_text_overlaps_another_or_leaves_the_figure(name):
    fig = _crowded(name)
    assert checks.overlapping_texts(fig) == []
    assert checks.texts_outside(fig) == []


@pytest.mark.parametrize("seconds", [0.0009, 0.0187, 0.43, 71.0, 25_000.0])
def test_convergence_ticks_stay_apart_however_long_training_took(seconds):
    """A sweep of tiny runs trains for hundredths of a second: the seconds axis then needs four
    decimals per tick, which overlapped at matplotlib's default tick count."""
    times = np.array([0.1, 0.2, np.nan, 0.3]) * seconds
    series = [
        {"label": "a", "epochs_le1": times, "epochs_zero": times, "seconds_le1": times}
        | {"seconds_zero": times}
    ]
    fig = curves.convergence(series, list("abcd"), np.zeros(4), np.full((4, 4), 2.0), 10, seconds)
    assert checks.overlapping_texts(fig) == []


def test_overlapping_texts_are_found():
    fig = comparisons.overview(
        [{"label": "a", "mean": 1.0, "low": 0.5, "high": 1.5, "best": True}], "error"
    )
    ax = fig.axes[0]
    ax.text(1.0, 0.0, "first")
    ax.text(1.0, 0.0, "second")
    ax.annotate(
        "far",
        (1.0, 0.0),
        xytext=(0, 200),
        textcoords="offset points",
        arrowprops={"arrowstyle": "-"},
    )  # its leader crosses both: not text on text
    assert ("first", "second") in checks.overlapping_texts(fig)
    assert not any("far" in pair for pair in checks.overlapping_texts(fig))


def test_curves_split_into_panels_of_distinct_lines():
    fig = _crowded("curves-18")
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 6  # 2 metrics x 3 optimisers
    for ax in shown:
        assert len({line.get_color() for line in ax.get_lines()}) == len(ax.get_lines()) == 6
    assert len({str(style.dash(i)) for i in range(6)}) == 6  # each colour its own dashes
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == SETTINGS


def test_every_crowded_character_is_labelled_once_inside_its_panel():
    fig = _crowded("scatter")
    checks.overlapping_texts(fig)  # lays the figure out
    for ax in fig.axes:
        labels = sorted(t.get_text() for t in ax.texts if t.get_text())
        assert labels == sorted(CLASSES)
        box = ax.get_window_extent()
        for t in ax.texts:
            if t.get_text():
                inner = t.get_window_extent()
                assert box.x0 <= inner.x0 and inner.x1 <= box.x1
                assert box.y0 <= inner.y0 and inner.y1 <= box.y1


def test_points_left_out_of_a_view_are_counted():
    fig = _crowded("scatter-digits")
    for ax in fig.axes[:3]:  # 5 strays and the 0.1 % tails of 3,000 normal codes
        counted = re.search(r"(\d+) of 3,005 points\s+outside", ax.get_title("left"))
        assert counted and 5 <= int(counted.group(1)) <= 20


def test_figures_have_no_background(tmp_path):
    """Transparent, for a light page and a dark one alike."""
    path, _ = _save(_crowded("overview"), tmp_path, "overview.png")
    with Image.open(path) as image:
        assert image.mode == "RGBA" and image.getpixel((2, 2))[3] == 0


def _pictures_drawn(fig) -> list[tuple[float, float]]:
    """(picture's height / width, its axes' drawn height / width) of every image of a figure."""
    fig.canvas.draw()  # applies each axes' aspect
    found = []
    for ax in fig.axes:
        for image in ax.images:
            box = ax.get_position(original=False)  # in figure fractions
            height, width = image.get_array().shape[:2]
            found.append(
                (
                    height / width,
                    box.height * fig.get_figheight() / (box.width * fig.get_figwidth()),
                )
            )
    return found


@pytest.mark.parametrize("shape", [FLAT, TALL, FONT], ids=["flat-rgb", "tall-grey", "font"])
def test_every_picture_keeps_its_aspect_ratio(shape):
    """Reconstructions, strips, labelled rows, sample grids, decoded latent grids and the progression's
    manifolds: each picture's pixels are square on the page, whatever h x w."""
    rng = np.random.default_rng(0)
    d = int(np.prod(shape))
    x = rng.random((12, d))
    figures = [
        pictures.reconstructions(
            [{"title": "r", "originals": x, "outputs": x}], shape, per_row=5, mark=shape[2] == 1
        ),
        pictures.strips(
            [
                {"title": "s", "images": pictures.rgb(x[:7], shape)},
                {"title": "t", "images": pictures.rgb(x[:4], shape)},
            ]
        ),
        pictures.image_grids([{"title": "g", "images": x}] * 2, shape, cols=4),
        pictures.labelled_rows(
            [
                [{"label": "clean", "images": pictures.rgb(x[:7], shape)}],
                [
                    {"label": "noisy", "images": pictures.rgb(x[:7], shape)},
                    {"label": "denoised", "images": pictures.rgb(x[:4], shape)},
                ],
            ]
        ),
        latent.generated_grid(
            [
                {
                    "title": "p",
                    "images": rng.random((225, d)),
                    "extent": (-1, 1, -2, 2),
                    "codes": rng.normal(size=(5, 2)),
                    "labels": list("abcde"),
                }
            ],
            shape,
        ),
        latent.vae_progression(
            [
                {
                    "title": "e",
                    "codes": rng.normal(size=(5, 2)),
                    "labels": np.arange(5),
                    "manifold": rng.random((225, d)),
                }
            ],
            list("abcde"),
            False,
            shape,
            (-2, 2, -2, 2),
        ),
    ]
    drawn = [pair for fig in figures for pair in _pictures_drawn(fig)]
    assert len(drawn) == 10
    for picture, box in drawn:
        assert box == pytest.approx(picture, rel=0.02)


def test_unlabelled_codes_are_one_colour_without_a_legend():
    rng = np.random.default_rng(0)
    fig = latent.latent_scatter(
        [{"title": "s", "codes": rng.normal(size=(40, 2)), "labels": np.zeros(40, int)}],
        ["pictures"],
        text=False,
    )
    [dots] = fig.axes[0].collections
    assert len({tuple(c) for c in dots.get_facecolors()}) == 1 and not fig.legends


def test_labelled_codes_are_coloured_by_class_and_named_in_a_legend():
    """Ten classes in the site's colours; thirty told apart by hues of their own."""
    rng = np.random.default_rng(0)
    for n in (10, 30):
        classes = [f"class {k}" for k in range(n)]
        labels = np.arange(3 * n) % n
        fig = latent.latent_scatter(
            [{"title": "s", "codes": rng.normal(size=(3 * n, 2)), "labels": labels}],
            classes,
            text=False,
        )
        [dots] = fig.axes[0].collections
        colours = [tuple(c) for c in dots.to_rgba(dots.get_array())]
        assert len(set(colours)) == n
        assert all(colours[k] == colours[k % n] for k in range(3 * n))
        legend = [t.get_text() for fig_legend in fig.legends for t in fig_legend.get_texts()]
        assert legend == (classes if n <= latent.MAX_LEGEND else [])


def _lab(hex_colour: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour."""
    rgb = np.array(to_rgb(hex_colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    srgb_to_xyz = [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    xyz = np.array(srgb_to_xyz) @ linear / np.array([0.95047, 1.0, 1.08883])  # over white
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _delta_e2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005, equations 1-22)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    dh_big = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + (360 if h1 + h2 < 360 else -360)) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = (
        -2
        * np.sqrt(c_mean**7 / (c_mean**7 + 25**7))
        * np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2))))
    )
    dl, dc, dh = (l2 - l1) / s_l, (c2 - c1) / s_c, dh_big / s_h
    return float(np.sqrt(dl**2 + dc**2 + dh**2 + r_t * dc * dh))


#: CIEDE2000 test pairs of Sharma, Wu and Dalal (2005), table 1: (Lab, Lab, ΔE00).
SHARMA = [
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 2.5, 0), (50, 0, -2.5), 4.3065),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
]
#: Least CIEDE2000 difference between two classes' colours. About 1 tells two large patches
#: apart side by side; the scatters' dots are 1 to 4 px, scattered among others, where a
#: difference must be many times that to be seen (Szafir 2018, "Modeling Color Difference for
#: Visualization Design"). 15 leaves every pair of tab10 apart (its closest, red and brown, at
#: 16) and fails the palette it replaced, whose orange and red (13) readers took for one class.
CLASS_DELTA_E = 15


def test_a_reader_tells_the_ten_classes_apart_by_colour():
    for lab1, lab2, expected in SHARMA:  # the formula first, on its published values
        assert _delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    colours = latent.class_colours(10)
    closest = min(
        (_delta_e2000(_lab(a), _lab(b)), a, b)
        for i, a in enumerate(colours)
        for b in colours[i + 1 :]
    )
    assert len(set(colours)) == 10 and closest[0] >= CLASS_DELTA_E, closest
