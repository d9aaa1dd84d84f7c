"""Datasets: the embedded font and MNIST sample, MNIST from a folder, and MNIST downloaded from a
real HTTP server on 127.0.0.1 serving small generated IDX files (success, cache reuse, checksum
mismatch, a server that never answers, a 404, a refused connection, mirror fallback)."""

import gzip
import hashlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from runner import datasets
from runner.datasets import (
    DatasetError,
    Source,
    download,
    fashion_mnist,
    idxset,
    kmnist,
    load,
    mnist,
)
from support import MNIST_FILES, idx_bytes, mnist_arrays


@pytest.fixture(autouse=True)
def fresh_mnist(monkeypatch, tmp_path):
    """Every test starts with an empty cache folder and nothing parsed in memory."""
    monkeypatch.setenv("TP5_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv("TP5_MNIST_URL", raising=False)
    idxset._read_idx.cache_clear()
    yield
    idxset._read_idx.cache_clear()


def mnist_in(folder):
    return Source("mnist", folder)


# ------------------------------------------------------------------------------ embedded data


def test_the_info_of_every_built_in_dataset_is_consistent():
    for name in datasets.NAMES:
        if not datasets.takes_path(name) or name in ("mnist", "fashion-mnist", "kmnist"):
            info = datasets.info(name)
            h, w, c = info.shape
            assert info.name == name and h * w * c == info.n_features and c in (1, 3)


def test_font():
    data = load("font")
    assert data.x_train.shape == (32, 35) and data.x_train.dtype == np.float64
    assert set(np.unique(data.x_train)) == {0.0, 1.0}
    np.testing.assert_array_equal(data.y_train, np.arange(32))
    assert data.x_test is None and data.y_test is None and data.shape == (7, 5, 1)
    assert data.color == "binary"
    assert data.classes[:3] == ["`", "a", "b"] and data.classes[-1] == "DEL"
    # 'a' is 0x00 0x0e 0x01 0x0d 0x13 0x13 0x0d in the table, 0x10 the leftmost column
    a = [
        [0, 0, 0, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 0, 0, 1],
        [0, 1, 1, 0, 1],
        [1, 0, 0, 1, 1],
        [1, 0, 0, 1, 1],
        [0, 1, 1, 0, 1],
    ]
    np.testing.assert_array_equal(data.x_train[1].reshape(7, 5), a)
    assert data.x_train[31].all()  # DEL is a full block


def test_mnist_5k():
    data = load("mnist-5k", dtype=np.float32)
    assert data.x_train.shape == (5000, 784) and data.x_train.dtype == np.float32
    assert data.x_train.min() == 0.0 and data.x_train.max() == 1.0
    np.testing.assert_array_equal(np.bincount(data.y_train), [500] * 10)
    assert data.x_test is None and not datasets.info("mnist-5k").has_test
    assert data.classes == [str(d) for d in range(10)] and data.shape == (28, 28, 1)


@pytest.mark.parametrize(
    "name, path, message",
    [
        (
            "cifar",
            None,
            (
                "There is no dataset 'cifar'; choose one of array, emoji, fashion-mnist, font, "
                "images, kmnist, mnist, mnist-5k."
            ),
        ),
        ("mnist-5k", "somewhere", "mnist-5k is built in and reads no files; remove dataset.path."),
    ],
)
def test_bad_requests(name, path, message):
    with pytest.raises(DatasetError) as err:
        load(Source(name, path))
    assert str(err.value) == message


# ------------------------------------------------------------------------- mnist from a folder


def write_mnist(folder, arrays, gz=("train-images-idx3-ubyte",)):
    """Write the four files into folder, the names in gz compressed (and named .gz)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in arrays.items():
        data = idx_bytes(array)
        if name in gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)


def test_mnist_from_path(tmp_path):
    arrays = mnist_arrays()
    write_mnist(tmp_path / "mine", arrays)
    data = load(mnist_in(tmp_path / "mine"), dtype=np.float32)
    assert data.x_train.shape == (6, 784) and data.x_test.shape == (4, 784)
    assert data.x_train.dtype == np.float32
    np.testing.assert_allclose(
        data.x_test, arrays["t10k-images-idx3-ubyte"].reshape(4, 784) / 255, rtol=1e-6
    )
    np.testing.assert_array_equal(data.y_train, arrays["train-labels-idx1-ubyte"])


def test_loads_do_not_share_arrays(tmp_path):
    write_mnist(tmp_path / "mine", mnist_arrays())
    first = load(mnist_in(tmp_path / "mine"))
    first.x_train[:] = -1
    first.y_train[:] = -1
    again = load(mnist_in(tmp_path / "mine"))
    assert again.x_train.min() >= 0 and again.y_train.min() >= 0
    # what stays in memory cannot be written to either
    assert not any(a.flags.writeable for a in idxset._read_idx(mnist.SET, tmp_path / "mine", False))


def test_missing_file_in_path(tmp_path):
    write_mnist(tmp_path / "mine", mnist_arrays())
    (tmp_path / "mine" / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DatasetError) as err:
        load(mnist_in(tmp_path / "mine"))
    assert str(err.value).startswith(
        f"{tmp_path / 'mine'} has no t10k-labels-idx1-ubyte (raw or .gz); dataset.path must be"
    )


def test_the_fingerprint_of_unreadable_files_says_so_without_raising(tmp_path):
    """Planning hashes the files; the loader, not the plan, tells the user what is wrong."""
    write_mnist(tmp_path / "mine", mnist_arrays())
    readable = mnist.fingerprint(mnist_in(tmp_path / "mine"))
    (tmp_path / "mine" / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not gzip at all")
    (tmp_path / "mine" / "t10k-labels-idx1-ubyte").unlink(missing_ok=True)
    assert readable != "unavailable"
    assert mnist.fingerprint(mnist_in(tmp_path / "mine")) == "unavailable"
    assert mnist.fingerprint(mnist_in(tmp_path / "nothing")) == "unavailable"


def test_path_is_not_a_folder(tmp_path):
    with pytest.raises(DatasetError) as err:
        load(mnist_in(tmp_path / "nothing"))
    assert str(err.value).startswith(f"dataset.path {tmp_path / 'nothing'} is not a folder;")


@pytest.mark.parametrize(
    "name, array, message",
    [
        ("train-labels-idx1-ubyte", np.zeros(5, np.uint8), "holds 5 labels but .* holds 6 images"),
        (
            "t10k-images-idx3-ubyte",
            np.zeros((4, 10, 10), np.uint8),
            "holds 10x10 images; mnist images are 28x28",
        ),
        ("t10k-labels-idx1-ubyte", np.zeros((4, 28, 28), np.uint8), "is not an IDX label file"),
    ],
    ids=["label-count", "image-size", "images-as-labels"],
)
def test_damaged_mnist_file(tmp_path, name, array, message):
    arrays = mnist_arrays() | {name: array}
    write_mnist(tmp_path / "mine", arrays, gz=())
    with pytest.raises(DatasetError, match=message):
        load(mnist_in(tmp_path / "mine"))


# ---------------------------------------------------------------------------- mnist download


class Server:
    """A real HTTP server on 127.0.0.1 serving files from a dict, counting the requests.

    With cut=True it announces each file's full length, sends half of it and hangs up.
    """

    def __init__(self, files: dict[str, bytes], cut: bool = False):
        self.files, self.requests = files, []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body = server.files.get(self.path.lstrip("/"))
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if cut else body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def mirror(monkeypatch):
    """A server with the four files gzipped, their checksums made the expected ones."""
    arrays = mnist_arrays()
    raw = {name: idx_bytes(array) for name, array in arrays.items()}
    monkeypatch.setattr(
        mnist.SET,
        "checksums",
        {name: f"sha256:{hashlib.sha256(data).hexdigest()}" for name, data in raw.items()},
    )
    server = Server({f"{name}.gz": gzip.compress(data) for name, data in raw.items()})
    server.arrays = arrays
    yield server
    server.close()


def cache(tmp_path):
    return tmp_path / "cache" / "mnist"


def test_download_then_reuse_the_cache(monkeypatch, tmp_path, mirror):
    monkeypatch.setenv("TP5_MNIST_URL", mirror.url)
    data = load("mnist")
    assert sorted(mirror.requests) == sorted(f"/{name}.gz" for name in MNIST_FILES)
    cached = sorted(path.name for path in cache(tmp_path).iterdir())
    assert cached == sorted(f"{name}.gz" for name in MNIST_FILES)
    np.testing.assert_array_equal(data.y_test, mirror.arrays["t10k-labels-idx1-ubyte"])
    # a new process (no arrays in memory) reads the cache and asks the server for nothing
    idxset._read_idx.cache_clear()
    np.testing.assert_array_equal(load("mnist").x_train, data.x_train)
    assert len(mirror.requests) == 4


def test_falls_back_to_the_next_mirror(monkeypatch, tmp_path, mirror):
    monkeypatch.setattr(mnist.SET, "mirrors", (mirror.url + "gone/", mirror.url))
    assert load("mnist").x_train.shape == (6, 784)
    assert sum(path.startswith("/gone/") for path in mirror.requests) == 4


def assert_clean_failure(err, tmp_path, *reasons):
    """One sentence with the reason and the fix, nothing left in the cache, not even a temp file."""
    message = str(err.value)
    for reason in reasons:
        assert reason in message
    assert f"in {cache(tmp_path)}, or set dataset.path to a folder that holds them." in message
    assert message.count(". ") == 0
    assert list(cache(tmp_path).iterdir()) == []


def test_checksum_mismatch(monkeypatch, tmp_path, mirror):
    monkeypatch.setattr(mnist.SET, "checksums", dict.fromkeys(MNIST_FILES, "sha256:" + "0" * 64))
    monkeypatch.setenv("TP5_MNIST_URL", mirror.url)
    with pytest.raises(DatasetError) as err:
        load("mnist")
    assert_clean_failure(
        err,
        tmp_path,
        "train-images-idx3-ubyte.gz could not be downloaded",
        f"is not the expected sha256:{'0' * 64}",
    )


def failed_load_from(server: Server, monkeypatch):
    """load("mnist") with ``server`` as the only mirror, which must fail; the server is closed
    after it. Returns pytest's record of the DatasetError."""
    monkeypatch.setenv("TP5_MNIST_URL", server.url)
    try:
        with pytest.raises(DatasetError) as err:
            load("mnist")
    finally:
        server.close()
    return err


def test_page_instead_of_file(monkeypatch, tmp_path):
    server = Server({"train-images-idx3-ubyte.gz": b"<html>moved</html>"})  # e.g. a captive portal
    err = failed_load_from(server, monkeypatch)
    assert_clean_failure(err, tmp_path, "ubyte.gz: the file served is not a readable gzip file")


def test_not_found(monkeypatch, tmp_path):
    server = Server({})
    err = failed_load_from(server, monkeypatch)
    assert_clean_failure(err, tmp_path, f"{server.url}train-images-idx3-ubyte.gz: HTTP 404")


def test_transfer_cut_short(monkeypatch, tmp_path, mirror):
    server = Server(mirror.files, cut=True)
    err = failed_load_from(server, monkeypatch)
    size = len(server.files["train-images-idx3-ubyte.gz"])
    assert_clean_failure(err, tmp_path, f"the connection closed after {size // 2} of {size} bytes")


def test_server_that_never_answers(monkeypatch, tmp_path):
    listener = socket.create_server(("127.0.0.1", 0))
    held = []  # accepted connections, kept open and silent until the test ends
    thread = threading.Thread(target=lambda: held.append(listener.accept()), daemon=True)
    thread.start()
    monkeypatch.setenv("TP5_MNIST_URL", f"http://127.0.0.1:{listener.getsockname()[1]}/")
    monkeypatch.setattr(download, "TIMEOUT", 0.3)
    try:
        with pytest.raises(DatasetError) as err:
            load("mnist")
    finally:
        thread.join(1)
        for conn, _ in held:
            conn.close()
        listener.close()
    assert held, "the client never connected"
    assert_clean_failure(err, tmp_path, "no answer within 0.3 s")


def test_offline(monkeypatch, tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]  # closed again: connecting is refused
    mirrors = (f"http://127.0.0.1:{port}/a/", f"http://127.0.0.1:{port}/b/")
    monkeypatch.setattr(mnist.SET, "mirrors", mirrors)
    with pytest.raises(DatasetError) as err:
        load("mnist")
    assert_clean_failure(err, tmp_path, f"{port}/a/train-images-idx3-ubyte.gz: ", f"{port}/b/")


# ------------------------------------------------------------- fashion-mnist and kmnist: IDX too


@pytest.mark.parametrize("name, module", [("fashion-mnist", fashion_mnist), ("kmnist", kmnist)])
def test_an_idx_set_downloads_checked_by_the_md5_of_its_gz_files(
    monkeypatch, tmp_path, name, module
):
    arrays = mnist_arrays(seed=3)
    served = {f"{n}.gz": gzip.compress(idx_bytes(a)) for n, a in arrays.items()}
    monkeypatch.setattr(
        module.SET,
        "checksums",
        {n: f"md5:{hashlib.md5(served[f'{n}.gz']).hexdigest()}" for n in MNIST_FILES},
    )
    server = Server(served)
    variable = f"TP5_{name.upper().replace('-', '_')}_URL"
    monkeypatch.setenv(variable, server.url)
    try:
        before = datasets.fingerprint(name)  # the official checksums stand for missing files
        data = load(name, np.float32)
        assert datasets.fingerprint(name) == before
        assert data.classes == list(module.SET.classes) and data.shape == (28, 28, 1)
        np.testing.assert_array_equal(data.y_test, arrays["t10k-labels-idx1-ubyte"])
        assert sorted(p.name for p in (tmp_path / "cache" / name).iterdir()) == sorted(served)
        # a file that is not the published one is refused and not kept
        idxset._read_idx.cache_clear()
        for path in (tmp_path / "cache" / name).iterdir():
            path.unlink()
        monkeypatch.setitem(module.SET.checksums, MNIST_FILES[0], "md5:" + "0" * 32)
        with pytest.raises(DatasetError, match=f"is not the expected md5:{'0' * 32}"):
            load(name)
    finally:
        server.close()


def test_fashion_mnist_from_a_folder(tmp_path):
    arrays = mnist_arrays(seed=4)
    write_mnist(tmp_path / "fashion", arrays)
    data = load(Source("fashion-mnist", tmp_path / "fashion"))
    np.testing.assert_array_equal(
        data.x_train * 255, arrays["train-images-idx3-ubyte"].reshape(6, -1)
    )
    assert data.classes[0] == "T-shirt/top"
