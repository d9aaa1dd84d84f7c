"""The latent explorer: decoders exported beside the page decode in the browser as NumPy does,
and paint pictures of any h x w, grey or RGB, pixel for pixel as NumPy decodes them; the panel
answers the mouse, clicks and taps, works from disk and over HTTP, keeps the arrow keys for the
slides, stays hidden without JavaScript, and fetches no weights until it is used."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import support
from report import explorer, site
from report.slides.runs import info, model_of
from runner import models, store
from support import Visit

#: The pages of the tiny experiments with explorers, and the slides that carry one.
PANELS = {
    "font-ae": ["generated-grid"],
    "vae-digits": ["vae-progression", "generated-grid"],
    "font-tanh": ["generated-grid"],
}
MNIST_VAE = support.vae(architecture=[784, 512, 256, 2, 256, 512, 784], dtype="float32")
PLANE = {
    "kind": "digits",
    "image": [28, 28, 1],
    "labelled": True,
    "extent": [-3.0, 3.0, -3.0, 3.0],
    "ticks": [[-2.0, 0.0, 2.0], [-2.0, 0.0, 2.0]],
    "points": [[0.0, 0.0]],
    "labels": [0],
    "classes": [str(d) for d in range(10)],
    "colours": ["#1d5fd1"] * 10,
    "marks": [[0.0, 0.0, "0"]],
}


# ------------------------------------------------------------------------------ the export


def _from_payload(data: dict, z: np.ndarray) -> np.ndarray:
    """The data file's decoder run in NumPy, as decoder.js runs it: (N, 2) -> (N, D), mapped
    from the training's pixel range to [0, 1]."""
    weights = np.frombuffer(base64.b64decode(data["weights"]), dtype="<f4").astype(float)
    act = {
        "identity": lambda a: a,
        "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
        "tanh": np.tanh,
        "relu": lambda a: np.maximum(a, 0),
    }
    a, at = z, 0
    for layer in data["layers"]:
        n_in, n_out = layer["n_in"], layer["n_out"]
        W = weights[at : at + n_in * n_out].reshape(n_in, n_out)
        b = weights[at + n_in * n_out : at + n_in * n_out + n_out]
        at += n_in * n_out + n_out
        a = act[layer["activation"]](a @ W + b)
    assert at == len(weights)
    low, high = data["pixels"]
    return (act[data["output"]](a) - low) / (high - low)


def _randomised(model):
    """Fresh weights are the init's; give the decoder's biases values too, so all are tested."""
    rng = np.random.default_rng(1)
    for layer in model.decoder:
        layer.params["b"][...] = rng.normal(0, 0.1, layer.params["b"].shape)
    return model


@pytest.mark.parametrize(
    "spec",
    [
        MNIST_VAE,
        support.autoencoder(
            architecture=[35, 64, 2, 64, 35],
            activation="tanh",
            latent_activation="identity",
            loss="bce",
        ),
        support.autoencoder(
            architecture=[35, 10, 2, 10, 35], activation="relu", latent_activation="tanh", init="he"
        ),
        support.autoencoder(
            architecture=[35, 10, 2, 10, 35],
            activation="tanh",
            latent_activation="tanh",
            output_activation="tanh",
            loss="sse",
            pixels=[-1, 1],
        ),
    ],
    ids=["mnist-vae", "bce-tanh", "mse-relu", "sse-tanh-pm1"],
)
def test_the_export_decodes_as_the_model(spec):
    model = _randomised(models.build(spec, seeds=[0]))
    data = explorer.payload(model, spec, PLANE)
    z = np.random.default_rng(2).uniform(-3, 3, (20, 2))
    assert np.abs(_from_payload(data, z) - model.decode(z)[0]).max() < 1e-5


def test_the_mnist_decoder_exports_under_3_mb(tmp_path):
    model = _randomised(models.build(MNIST_VAE, seeds=[0]))
    path = tmp_path / "decoder.js"
    explorer.save(path, "mnist", explorer.payload(model, MNIST_VAE, PLANE))
    n_weights = sum(
        layer.params["W"][0].size + layer.params["b"][0].size for layer in model.decoder
    )
    assert n_weights == 2 * 256 + 256 + 256 * 512 + 512 + 512 * 784 + 784
    assert path.stat().st_size < 3_000_000
    assert path.stat().st_size < 4 * n_weights * 4 / 3 + 2000  # float32 in base64, little else


def _data_file(path: Path) -> tuple[str, dict]:
    """(key, data) of a decoder-<run>.js file."""
    head, _, body = path.read_text().partition("] = ")
    return json.loads(head.rpartition("[")[2]), json.loads(body.rstrip().rstrip(";"))


def test_each_explorer_names_its_run_and_data_file(tiny_site, tiny_results):
    for name, slide_ids in PANELS.items():
        html = (tiny_site / name / "index.html").read_text()
        runs = {r.id for r in store.load_runs(tiny_results, name)}
        for slide_id in slide_ids:
            section = html.split(f'id="{slide_id}"')[1].split("</section>\n\n")[0]
            assert '<img src="' in section  # the static figure stays
            assert 'class="explorer"' in section and " hidden>" in section
        for path in (tiny_site / name).glob("decoder-*.js"):
            key, data = _data_file(path)
            assert path.name == f"decoder-{key}.js" and key in runs
            assert data["layers"][0]["n_in"] == 2 and data["steps"] == 9
            assert data["pixels"] == ([-1, 1] if name == "font-tanh" else [0, 1])
    assert "decoder-" not in (tiny_site / "font-denoise" / "index.html").read_text()


# ------------------------------------------------------------------------------ in the browser


def _ready(page, slide_id: str) -> None:
    """Scroll the slide's explorer into view and wait until its decoder is loaded and drawn."""
    page.locator(f"#{slide_id} .explorer-plane").scroll_into_view_if_needed()
    page.wait_for_selector(f"#{slide_id} .explorer[data-state=ready]", timeout=10_000)
    _frame(page)


def _frame(page) -> None:
    """Wait until the browser has drawn what the last event asked for."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _pixels(page, selector: str) -> np.ndarray:
    """A canvas's RGBA pixels as (H, W, 4)."""
    width, height, data = page.evaluate(
        """(selector) => {
        const c = document.querySelector(selector);
        return [c.width, c.height, Array.from(c.getContext('2d').getImageData(0, 0, c.width,
                                                                            c.height).data)];
    }""",
        selector,
    )
    return np.array(data, dtype=np.uint8).reshape(height, width, 4)


def _at(page, slide_id: str, fx: float, fy: float) -> tuple[float, float]:
    """Page coordinates of the point at fractions (fx, fy) of the slide's plane."""
    box = page.locator(f"#{slide_id} .explorer-plane").bounding_box()
    return box["x"] + fx * box["width"], box["y"] + fy * box["height"]


def _decoded_in_page(page, run_id: str, z: np.ndarray) -> np.ndarray:
    return np.array(
        page.evaluate(
            "([id, zs]) => Promise.all(zs.map(z => tp5Explorer.decode(id, z)))",
            [run_id, z.tolist()],
        )
    )


@pytest.mark.browser
def test_the_page_decodes_as_numpy_and_follows_the_pointer(browser, base, tiny_results):
    """From disk and over HTTP, each page with explorers: 20 random points of each explored run's
    plane (and a little beyond) decode in the page as the stored model rebuilt in NumPy decodes
    them; moving the pointer over each panel's plane changes its picture; nothing is logged."""
    rng = np.random.default_rng(0)
    for name, slide_ids in PANELS.items():
        visit = Visit(browser, base + f"{name}/index.html")
        page = visit.page
        runs = {r.id: r for r in store.load_runs(tiny_results, name)}
        ids = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.explorer [value], .explorer[data-run]'), e => e.value || e.dataset.run)""")
        assert ids
        for run_id in dict.fromkeys(ids):
            x0, x1, y0, y1 = page.evaluate(
                """async (id) => {
                await tp5Explorer.load(id); return tp5Decoders[id].extent; }""",
                run_id,
            )
            centre, half = np.array([x0 + x1, y0 + y1]) / 2, np.array([x1 - x0, y1 - y0]) / 2
            z = centre + rng.uniform(-1.2, 1.2, (20, 2)) * half  # (20, 2)
            expected = model_of(runs[run_id]).decode(z)[0]
            assert np.abs(_decoded_in_page(page, run_id, z) - expected).max() < 1e-5, run_id
        for slide_id in slide_ids:
            _ready(page, slide_id)
            image = f"#{slide_id} .explorer-image"
            page.mouse.move(*_at(page, slide_id, 0.2, 0.25))
            _frame(page)
            before = _pixels(page, image)
            page.mouse.move(*_at(page, slide_id, 0.75, 0.7), steps=4)
            _frame(page)
            assert (_pixels(page, image) != before).any(), f"{name} {slide_id}: no change"
            assert page.locator(f"#{slide_id} .explorer-readout").inner_text().startswith("z₁")
        assert visit.errors == []
        visit.close()


def _screenshot(locator, artifacts: Path, name: str) -> None:
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    locator.screenshot(path=folder / f"{name}.png")


def _cells(strip: np.ndarray, width: int) -> list[np.ndarray]:
    """The images of the interpolation strip (one pixel between them)."""
    return [strip[:, k : k + width] for k in range(0, strip.shape[1], width + 1)]


@pytest.mark.browser
def test_a_click_pins_and_a_second_click_shows_the_path(browser, tiny_site, artifacts):
    for name, slide_id in (("font-ae", "generated-grid"), ("vae-digits", "vae-progression")):
        visit = Visit(browser, (tiny_site / name / "index.html").as_uri())
        page = visit.page
        _ready(page, slide_id)
        path = page.locator(f"#{slide_id} .explorer-path")
        page.mouse.click(*_at(page, slide_id, 0.15, 0.2))
        _frame(page)
        first = _pixels(page, f"#{slide_id} .explorer-image")
        assert path.is_hidden()  # one pin: no path yet
        page.mouse.click(*_at(page, slide_id, 0.85, 0.8))
        _frame(page)
        last = _pixels(page, f"#{slide_id} .explorer-image")
        assert path.is_visible()
        assert "From pin 1" in path.inner_text()
        cells = _cells(_pixels(page, f"#{slide_id} .explorer-strip"), first.shape[1])
        assert len(cells) == 9
        assert np.array_equal(cells[0], first) and np.array_equal(cells[-1], last)
        assert len({c.tobytes() for c in cells}) > 2  # the images change along the path
        _screenshot(
            page.locator(f"#{slide_id} .explorer"), artifacts, f"explorer-{name}-{slide_id}"
        )
        page.mouse.click(*_at(page, slide_id, 0.5, 0.5))  # a third click starts again
        assert path.is_hidden()
        assert visit.errors == []
        visit.close()


@pytest.mark.browser
def test_taps_explore_on_a_touch_screen(browser, tiny_site, artifacts):
    visit = Visit(
        browser, (tiny_site / "vae-digits" / "index.html").as_uri(), has_touch=True, is_mobile=True
    )
    visit.page.set_viewport_size({"width": 390, "height": 844})
    page, slide_id = visit.page, "generated-grid"
    _ready(page, slide_id)
    before = _pixels(page, f"#{slide_id} .explorer-image")
    page.touchscreen.tap(*_at(page, slide_id, 0.2, 0.2))
    _frame(page)
    assert (_pixels(page, f"#{slide_id} .explorer-image") != before).any()
    page.touchscreen.tap(*_at(page, slide_id, 0.8, 0.75))
    _frame(page)
    assert page.locator(f"#{slide_id} .explorer-path").is_visible()
    _screenshot(page.locator(f"#{slide_id} .explorer"), artifacts, "explorer-vae-digits-390")
    assert not page.evaluate("() => document.documentElement.scrollWidth > innerWidth + 1")
    assert visit.errors == []
    visit.close()


@pytest.mark.browser
def test_arrow_keys_still_move_between_slides(browser, tiny_site):
    """On the focused plane, arrows go on to the next slide; Shift + arrows move the point and
    Enter pins it."""
    visit = Visit(browser, (tiny_site / "font-ae" / "index.html").as_uri())
    page, slide_id = visit.page, "generated-grid"
    _ready(page, slide_id)
    page.locator(f"#{slide_id} .explorer-plane").focus()
    readout = page.locator(f"#{slide_id} .explorer-readout")
    shown = readout.inner_text()
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    _frame(page)
    assert readout.inner_text() != shown
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+ArrowUp")
    page.keyboard.press("Enter")
    assert page.locator(f"#{slide_id} .explorer-path").is_visible()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.hash === '#interpolation'", timeout=5000)
    assert visit.errors == []
    visit.close()


@pytest.mark.browser
def test_without_javascript_the_figure_stands_alone(browser, tiny_site):
    visit = Visit(
        browser, (tiny_site / "vae-digits" / "index.html").as_uri(), java_script_enabled=False
    )
    page = visit.page
    for slide_id in PANELS["vae-digits"]:
        assert page.locator(f"#{slide_id} .figure img").is_visible()
        assert page.locator(f"#{slide_id} .explorer").is_hidden()
    visit.close()


@pytest.mark.browser
def test_the_explorer_fetches_no_decoder_until_it_is_needed(browser, server):
    """Loading the font page starts the explorer but fetches no decoder weights: they come when
    the panel is scrolled to. (Requests are counted; the page's load time is not a test.)"""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "font-ae/index.html", wait_until="load")
    assert page.evaluate("typeof window.tp5Explorer") != "undefined"
    assert [url for url in requests if "decoder-" in url] == []
    context.close()


@pytest.mark.browser
def test_an_mnist_sized_decoder_stays_usable(browser, tiny_site, tmp_path):
    """A 2-256-512-784 decoder with random weights loads in the page and decodes as NumPy does."""
    model = _randomised(models.build(MNIST_VAE, seeds=[0]))
    path = tmp_path / "decoder-mnist.js"
    explorer.save(path, "mnist", explorer.payload(model, MNIST_VAE, PLANE))
    visit = Visit(browser, (tiny_site / "vae-digits" / "index.html").as_uri())
    visit.page.add_script_tag(path=str(path))
    z = np.random.default_rng(3).uniform(-3, 3, (20, 2))
    visit.page.evaluate("() => tp5Explorer.load('mnist')")
    assert np.abs(_decoded_in_page(visit.page, "mnist", z) - model.decode(z)[0]).max() < 1e-5
    assert visit.errors == []
    visit.close()


# ------------------------------------------------------------------------------ any shape

#: Pages of the dataset forms (tests/conftest.py FORMS): pictures not square, RGB and grey.
SHAPED = ("rgb-vae", "grey-vae")


@pytest.fixture(scope="module")
def shaped_site(tmp_path_factory, forms_results) -> Path:
    """The site of the SHAPED experiments."""
    root = tmp_path_factory.mktemp("shaped")
    for name in SHAPED:
        shutil.copytree(forms_results / name, root / "results" / name)
    site.render(root / "results", root / "site")
    return root / "site"


def _expected_rgb(page, decoded: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """What the explorer paints for decoded values (D,): an RGB sample's own colours, a grey
    one as the stylesheet's ink on white paper (1 darkest), as (h, w, 3) in 0..255."""
    h, w, c = shape
    values = np.clip(decoded, 0, 1).reshape(h, w, c)
    if c == 3:
        return 255 * values
    ink = page.evaluate("""() => getComputedStyle(document.documentElement)
                           .getPropertyValue('--figure-ink').trim()""")
    ink = np.array([int(ink[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)
    return 255 + values * (ink - 255)


@pytest.mark.browser
@pytest.mark.parametrize("name", SHAPED)
def test_the_picture_is_painted_as_numpy_decodes_it(
    browser, shaped_site, forms_results, name, artifacts
):
    """The explorer opens at the plane's centre: its picture there, and after Shift + arrow
    keys, is h rows of w pixels, each the stored model's decoding in NumPy (within a unit of
    rounding): RGB in its own colours, grey as ink on paper."""
    visit = Visit(browser, (shaped_site / name / "index.html").as_uri())
    page, slide_id = visit.page, "generated-grid"
    _ready(page, slide_id)
    run_id = page.locator(f"#{slide_id} .explorer").get_attribute("data-run")
    run = {r.id: r for r in store.load_runs(forms_results, name)}[run_id]
    shape = info(run.spec).shape
    x0, x1, y0, y1 = page.evaluate("(id) => tp5Decoders[id].extent", run_id)
    z = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    page.locator(f"#{slide_id} .explorer-plane").focus()
    for move in (None, "Shift+ArrowLeft", "Shift+ArrowUp"):
        if move:
            page.keyboard.press(move)
            z += {"Shift+ArrowLeft": [-(x1 - x0) / 40, 0], "Shift+ArrowUp": [0, (y1 - y0) / 40]}[
                move
            ]
            _frame(page)
        painted = _pixels(page, f"#{slide_id} .explorer-image")
        assert painted.shape == (*shape[:2], 4)
        expected = _expected_rgb(page, model_of(run).decode(z[None])[0][0], shape)
        assert np.abs(painted[..., :3] - expected).max() <= 1, move
    _screenshot(page.locator(f"#{slide_id} .explorer"), artifacts, f"explorer-{name}")
    assert visit.errors == []
    visit.close()
