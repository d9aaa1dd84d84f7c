"""Shared fixtures: results of the real pipeline on tiny experiments, trained once per session,
and the browser that drives the site.

The site tests read what ``tp5-run`` stores, never hand-made numbers, so a change in what the
runner writes shows up as a failing site test.

Markers (registered in pyproject.toml) let the edit-test loop leave out the long tests
(``pytest -m "not slow and not browser and not cluster"``): a test that uses the trained store
(``tiny_results`` or anything built on it) is marked ``slow`` here, so a new one is too; a test
marked ``browser`` is skipped when no Chromium is found (report.check says where it looks).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from report import check
from support import FORMS, TINY, train, write_forms


@pytest.fixture(scope="session")
def tiny_results(tmp_path_factory) -> Path:
    """A result store holding the TINY experiments, trained by the real pipeline."""
    root = tmp_path_factory.mktemp("tiny")
    files = []
    for name, text in TINY.items():
        path = root / f"{name}.yaml"
        path.write_text(text)
        files.append(path)
    train(files, root / "results")
    return root / "results"


@pytest.fixture(scope="session")
def forms_results(tmp_path_factory) -> Path:
    """A result store holding the FORMS experiments, trained by the real pipeline."""
    root = tmp_path_factory.mktemp("forms")
    write_forms(root)
    for name, text in FORMS.items():
        (root / f"{name}.yaml").write_text(text)
    train([root / f"{name}.yaml" for name in FORMS], root / "results")
    return root / "results"


@pytest.fixture(scope="session")
def tiny_site(tiny_results, tmp_path_factory) -> Path:
    """The site rendered from ``tiny_results``."""
    from report import site

    site_dir = tmp_path_factory.mktemp("site")
    site.render(tiny_results, site_dir)
    return site_dir


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave files for people to look at (screenshots); git-ignored."""
    folder = Path(os.environ.get("TP5_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


#: Fixtures whose tests train through tp5-run (the TINY and FORMS stores, once a session).
TRAINED = {"tiny_results", "forms_results"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if TRAINED.intersection(item.fixturenames):
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") and chromium() is None:
        pytest.skip(check.NOT_FOUND)


@functools.cache
def chromium() -> str | None:
    """The Chromium report.check would drive, looked for once a session."""
    return check.find_chromium()


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (report.check's), shared by a module's tests."""
    with check.chromium() as driven:
        yield driven


@pytest.fixture(scope="module")
def server(tiny_site):
    """A static server on 127.0.0.1, on a free port, serving the site folder."""
    with check.serve(tiny_site) as url:
        yield url


@pytest.fixture(params=["disk", "http"])
def base(request, tiny_site):
    """The site's root URL: a file:// URL, or the local server's."""
    if request.param == "disk":
        return tiny_site.resolve().as_uri() + "/"
    return request.getfixturevalue("server")
