"""The forms of the YAML's `dataset:`: a built-in set by name, or one's own files with options.

Each form is a model whose `name` tells it apart; its keys beyond name, path and limit are the
options runner.datasets reads it with (`Source.options`). A form whose files cannot make a
dataset is refused at its path, in the loader's words, after reading the headers only.
"""

from __future__ import annotations

import functools
import os
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import Field, PositiveInt, ValidationInfo, create_model, field_validator

from runner import datasets
from runner.config.strict import Problem, Strict
from runner.config.types import Level
from runner.datasets import images


class _Dataset(Strict):
    """What every form of `dataset:` has; a form's own keys are its options (Source.options)."""

    name: str
    path: Path | None = Field(None, description="the dataset's files, relative to the YAML file")
    limit: PositiveInt | None = Field(
        None, description="train on N training samples only, evenly spaced through the set"
    )  # for quick trial runs

    @field_validator("path")
    @classmethod
    def _relative_to_yaml(cls, path: Path | None, info: ValidationInfo) -> Path | None:
        """Like pelican's settings: a relative path means the same thing from any working folder."""
        folder = (info.context or {}).get("folder")
        if path is None or folder is None:
            return path
        return Path(os.path.abspath(Path(folder) / path.expanduser()))

    @property
    def source(self) -> datasets.Source:
        """What runner.datasets reads: the options are the form's keys that the YAML gives."""
        return datasets.Source(self.name, self.path, self._options(), self.limit)

    @property
    def whole(self) -> datasets.Source:
        """The source without the limit: every sample (what the denoising floors are of)."""
        return datasets.Source(self.name, self.path, self._options())

    def _options(self) -> dict[str, Any]:
        return {
            key: getattr(self, key)
            for key in type(self).model_fields
            if key not in ("name", "path", "limit") and getattr(self, key) is not None
        }

    @functools.cached_property
    def info(self) -> datasets.DatasetInfo:
        """The dataset's shape and size, from its files' headers (read once per config)."""
        return datasets.info(self.whole)

    def _readable(self) -> list[Problem]:
        """Files that cannot make the dataset are the path's problem, in the loader's words."""
        try:
            self.info  # noqa: B018 - reading it reads the headers
        except datasets.DatasetError as err:
            blame = "path" if self.path is not None else "name"
            return [((blame,), str(err).rstrip("."), str(getattr(self, blame)))]
        return []

    checks = (_readable,)


def _builtin(name: str) -> type[_Dataset]:
    """The form of a dataset that has no options of its own: its name, a path if it reads one."""
    info = datasets.info(name)
    reads = datasets.takes_path(name)
    where = (
        "a folder holding its files; default: downloaded once into the cache"
        if reads
        else "none: it is built in"
    )
    return create_model(
        f"{name.title().replace('-', '')}Dataset",
        __base__=_Dataset,
        name=(Literal[name], Field(description=f"{info.describe()} {info.kind}")),
        path=(Path | None, Field(None, description=where)),
    )


class FontDataset(_Dataset):
    name: Literal["font"] = Field(
        description="the course's 5x7 font (embedded), or a font of a font.h"
    )
    path: Path | None = Field(
        None,
        description="a C header of fonts in the course's font.h format; default: the embedded font",
    )
    font: str | None = Field(
        None, description="the array of the file to read, e.g. Font3 (default: the file's only one)"
    )

    def _font_needs_path(self) -> list[Problem]:
        if self.font is not None and self.path is None:
            return [(("font",), "names an array of a font.h; give its path too", self.font)]
        return []

    checks = _Dataset.checks + (_font_needs_path,)


Color = Literal["grey", "rgb", "binary"]
Byte = Annotated[int, Field(ge=0, le=255)]


class ImagesDataset(_Dataset):
    name: Literal["images"] = Field(
        description="every PNG, JPEG, GIF, BMP or WebP file of a folder, in sorted order; "
        "subfolders, if any, hold them and name their labels"
    )
    path: Path = Field(description="the folder, relative to the YAML file")
    size: tuple[PositiveInt, PositiveInt] | None = Field(
        None,
        description="[h, w] to resize every image to (default: the files' own size, "
        "the same for all)",
    )
    color: Color | None = Field(
        None,
        description="grey, rgb, or binary (grey cut at threshold); default: grey "
        "when every file is grey, else rgb",
    )
    threshold: Level | None = Field(
        None,
        description=f"binary only: the grey level from which a pixel is 1 (default "
        f"{images.THRESHOLD})",
    )
    alpha: Literal["composite", "mask"] | None = Field(
        None,
        description="composite: transparent pixels show the background (default); "
        "mask: the alpha channel is the picture, opaque = 1 (silhouettes)",
    )
    background: Literal["white", "black"] | tuple[Byte, Byte, Byte] | None = Field(
        None,
        description="the colour under transparent pixels: white (default), black or "
        "[r, g, b] of 0..255",
    )

    def _options_fit(self) -> list[Problem]:
        found = []
        if self.threshold is not None and self.color != "binary":
            found.append((("threshold",), "applies to color: binary only", self.threshold))
        if self.alpha == "mask" and self.color == "rgb":
            found.append((("color",), "alpha: mask makes a grey picture, not rgb", self.color))
        if self.alpha == "mask" and self.background is not None:
            found.append(
                (("background",), "alpha: mask shows no background; remove it", self.background)
            )
        return found

    checks = _Dataset.checks + (_options_fit,)


class ArrayDataset(_Dataset):
    name: Literal["array"] = Field(
        description="samples from a .npy, .npz or .csv file, one a row, values in [0, 1] "
        "or whole numbers 0..255"
    )
    path: Path = Field(description="the file, relative to the YAML file")
    shape: Annotated[list[PositiveInt], Field(min_length=2, max_length=3)] | None = Field(
        None,
        description="[h, w] (grey) or [h, w, 3] (RGB) of one sample (default: the "
        "array's own, from (N, h, w) or (N, h, w, 3))",
    )
    key: str | None = Field(
        None, description=".npz: the array of samples (default: the file's only one)"
    )
    labels_key: str | None = Field(None, description=".npz: the array of labels, if any")
    label_column: Literal["first", "last"] | None = Field(
        None, description=".csv: the column of labels, if any"
    )

    def _options_fit(self) -> list[Problem]:
        found = []
        if self.shape is not None and len(self.shape) == 3 and self.shape[2] != 3:
            found.append((("shape", 2), "must be 3 (RGB) or left out (grey)", self.shape[2]))
        suffix = self.path.suffix
        for key, wants in (("key", ".npz"), ("labels_key", ".npz"), ("label_column", ".csv")):
            if getattr(self, key) is not None and suffix != wants:
                found.append(((key,), f"applies to {wants} files only", getattr(self, key)))
        return found

    checks = _Dataset.checks + (_options_fit,)


_FORMS = (FontDataset, ImagesDataset, ArrayDataset)
_OWN = [typing.get_args(form.model_fields["name"].annotation)[0] for form in _FORMS]
Dataset = Annotated[
    Union[
        (
            FontDataset,
            *(_builtin(n) for n in datasets.NAMES if n not in _OWN),
            ImagesDataset,
            ArrayDataset,
        )
    ],
    Field(discriminator="name"),
]
