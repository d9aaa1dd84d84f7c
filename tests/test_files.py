"""Writing whole or not at all: the destination holds the old content or the new, and no
temporary is left behind either way."""

import pytest

from runner.files import atomic_folder, atomic_write


def test_atomic_write_replaces_text_and_bytes(tmp_path):
    path = tmp_path / "page.html"
    atomic_write(path, "é\n")
    assert path.read_bytes() == "é\n".encode()
    atomic_write(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "data.json"
    atomic_write(path, "old")
    with pytest.raises(TypeError):  # not text or bytes: fails while writing the temporary
        atomic_write(path, None)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]


def test_atomic_folder_replaces_an_older_copy(tmp_path):
    final = tmp_path / "run"
    for text in ("first", "second"):
        with atomic_folder(final) as tmp:
            (tmp / "run.json").write_text(text)
            assert not final.exists() or (final / "run.json").read_text() == "first"
    assert (final / "run.json").read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_a_failed_folder_keeps_the_old_copy(tmp_path):
    final = tmp_path / "run"
    with atomic_folder(final) as tmp:
        (tmp / "run.json").write_text("kept")
    with pytest.raises(RuntimeError), atomic_folder(final) as tmp:
        (tmp / "run.json").write_text("half")
        raise RuntimeError
    assert (final / "run.json").read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
