"""font from a font.h: the course's C header, read as the same pixels as the embedded font."""

from pathlib import Path

import numpy as np
import pytest

from runner import datasets
from runner.datasets import DatasetError, Source

TABLE = Path(datasets.__file__).with_name("font3.tsv")


def embedded_as_header() -> str:
    """The embedded font written the way the course's font.h writes it, comments and all."""
    lines = ["// the course's font", "static const unsigned char Font3[32][7] = {"]
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, label, rows = line.split("\t")
            numbers = ", ".join(rows.split())
            shown = "" if label == "DEL" else label  # DEL's comment gives only its code
            lines.append(f"   {{{numbers}}},   // {code}, {shown}")
    return "\n".join([*lines, "};", ""])


def font_source(path, **options):
    return Source("font", path, options)


def test_the_embedded_font_as_a_header_gives_the_same_pixels_bit_for_bit(tmp_path):
    (tmp_path / "font.h").write_text(embedded_as_header())
    embedded, read = datasets.load("font"), datasets.load(font_source(tmp_path / "font.h"))
    for name in ("x_train", "y_train"):
        a, b = getattr(embedded, name), getattr(read, name)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert read.classes[:-1] == embedded.classes[:-1] and read.classes[-1] == "\x7f"
    assert read.classes[0] == "`" and read.shape == (7, 5, 1) and read.color == "binary"
    assert datasets.info(font_source(tmp_path / "font.h")) == datasets.DatasetInfo(
        "font", (7, 5, 1), "binary", "glyphs", has_test=False, n_train=32, takes_path=True
    )


SEVERAL = """\
/* two fonts; a '{' in a comment counts for nothing */
const unsigned char Small[2][3] = {
  {0x1f, 0x11, 0x1f},  // 0x30, 0
  {0x04, 0x04, 0x04}   // 0x31, 1
};
unsigned char Wide[3][2] = { {0xff, 0x81}, {0x81, 0xff}, {0x00, 0x3c} };
"""


def test_a_file_of_several_fonts_and_characters_named_or_not(tmp_path):
    (tmp_path / "f.h").write_text(SEVERAL)
    small = datasets.load(font_source(tmp_path / "f.h", font="Small"))
    assert small.shape == (3, 5, 1) and small.classes == ["0", "1"]
    np.testing.assert_array_equal(small.x_train[1].reshape(3, 5), [[0, 0, 1, 0, 0]] * 3)
    wide = datasets.load(font_source(tmp_path / "f.h", font="Wide"))
    assert wide.shape == (2, 8, 1) and wide.classes == ["0", "1", "2"]  # no comments: indices
    np.testing.assert_array_equal(wide.x_train[0, :8], np.ones(8))


@pytest.mark.parametrize(
    "text, font, message",
    [
        (
            "int x = 3;\n",
            None,
            (
                "holds no font: no C array of rows such as 'Font3[32][7] = "
                "{{0x04, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00}, ...};'."
            ),
        ),
        (SEVERAL, "Font3", "has no font 'Font3'; it has Small, Wide."),
        (SEVERAL, None, "holds 2 fonts (Small, Wide); name one with dataset.font."),
        (
            "char F[3][2] = {\n {1, 2},\n {3},\n {4, 5}\n};\n",
            None,
            ":3: character 1 of F has 1 rows, the others 2.",
        ),
    ],
    ids=["no arrays", "no such font", "which font", "ragged"],
)
def test_a_header_that_holds_no_usable_font(tmp_path, text, font, message):
    (tmp_path / "f.h").write_text(text)
    with pytest.raises(DatasetError) as err:
        datasets.info(font_source(tmp_path / "f.h", **({"font": font} if font else {})))
    assert str(err.value).startswith(f"{tmp_path / 'f.h'}") and message in str(err.value)
