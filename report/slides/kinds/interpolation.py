"""Decoding along the segment between the codes of two training samples far apart."""

from __future__ import annotations

import numpy as np

from report import summary as sm
from report.slides import SlideKind, figure, needs_plane, runs

STEPS = 9  # decoded points on the segment, both ends included


def build(s: sm.Summary) -> dict:
    noun = runs.noun(s.spec)
    return {
        "title": f"Between two {noun}s",
        "lede": "Decoding along the straight segment between the codes of the two training "
        f"{noun}s farthest apart; the originals stand at both ends.",
        "note": runs.representative_note(s),
        "figure": figure(".png", "Interpolation in the latent plane", refs=runs.refs(s)),
    }


def farthest_pair(codes: np.ndarray, labels: np.ndarray) -> tuple[int, int]:
    """Indices of two training samples far apart: the farthest pair among at most 200 codes,
    else the samples nearest the two farthest class means, or for unlabelled data the farthest
    pair of 200 codes spread over the set (no N x N distances for 60,000)."""
    if len(codes) <= 200:
        d = np.linalg.norm(codes[:, None] - codes[None], axis=-1)  # (N, N)
        i, j = np.unravel_index(np.argmax(d), d.shape)
        return int(i), int(j)
    classes = np.unique(labels)
    if len(classes) < 2:
        some = np.linspace(0, len(codes) - 1, 200).astype(int)
        a, b = farthest_pair(codes[some], labels[some])
        return int(some[a]), int(some[b])
    means = np.stack([codes[labels == c].mean(axis=0) for c in classes])  # (C, Z)
    a, b = farthest_pair(means, classes)
    pick = [int(np.argmin(np.linalg.norm(codes - means[k], axis=1))) for k in (a, b)]
    return pick[0], pick[1]


def prepare(refs: list[dict]):
    from report.figures import pictures  # matplotlib only where figures are drawn

    rows = []
    for ref in refs:
        run = runs.load(ref)
        codes, labels = run.latent["train"], run.latent["labels"]
        i, j = farthest_pair(codes, labels)
        t = np.linspace(0, 1, STEPS)[:, None]
        line = (1 - t) * codes[i] + t * codes[j]  # (steps, Z)
        decoded = runs.model_of(run).decode(line)[0]  # (steps, D)
        x = runs.data_of(run.spec).x_train
        shape = runs.info(run.spec).shape
        images = pictures.rgb(np.concatenate([x[i][None], decoded, x[j][None]]), shape)
        images[[0, -1]] = pictures.tinted(images[[0, -1]])  # the ends read as originals
        rows.append(
            {
                "title": _title(ref["title"], runs.classes_of(run.spec), labels[[i, j]]),
                "images": images,
            }
        )
    return pictures.strips(rows)


def _title(title: str, classes: list[str], ends: np.ndarray) -> str:
    """The panel's title, with the classes of both ends where the data has classes."""
    if len(classes) < 2:
        return title
    return f"{title}: “{classes[int(ends[0])]}” to “{classes[int(ends[1])]}”"


SLIDE = SlideKind(
    name="interpolation",
    title="Between two characters",
    position=120,
    build=build,
    why_not=needs_plane,
    prepare=prepare,
)
