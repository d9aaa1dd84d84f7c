"""The numbers a run's metrics hold, each named for the pages and read by a path of attributes.

The names below count the font's samples, characters; ``Metric.per`` names them for the data
an experiment trained on (report.summary.Summary.metrics), so that "wrong pixels per character"
reads "wrong pixels per image" on a page of pictures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from runner.metrics import Metrics

#: What a page calls one sample of each kind of dataset (runner.datasets.kind).
WORDS = {"glyphs": "character", "digits": "digit", "images": "image"}


@dataclass(frozen=True)
class Metric:
    """A number per run, read from its metrics by a path of attributes; lower is better.

    NaN where the run has no such number: a VAE has no wrong pixels, a run on clean inputs no
    denoising, a diverged run no loss.
    """

    key: str
    label: str
    path: tuple[str, ...]
    short: str = ""  # column heading where several metrics share a table

    def of(self, metrics: Metrics) -> float:
        value = metrics
        for part in self.path:
            value = getattr(value, part, None)
            if value is None:
                return float("nan")
        return float(value)

    def per(self, sample: str, channels: int = 1) -> Metric:
        """The metric named for the data's samples (WORDS): "character" becomes ``sample``; on
        colour data a "wrong pixel" is a wrong channel value, and is named so (an image of 400
        pixels has 1,200 of them)."""

        def named(text: str) -> str:
            text = text.replace("character", sample)
            return text.replace("wrong pixels", "wrong channel values") if channels > 1 else text

        return replace(self, label=named(self.label), short=named(self.short))


WRONG_MEAN = Metric(
    "wrong_mean",
    "wrong pixels per character",
    ("wrong_pixels", "mean"),
    "wrong pixels per character",
)
WRONG_MAX = Metric(
    "wrong_max", "wrong pixels of the worst character", ("wrong_pixels", "max"), "worst character"
)
MSE = Metric("mse", "mean squared error", ("mse",), "MSE")
DENOISED_MEAN = Metric(
    "denoised_mean",
    "wrong pixels per character, denoised vs clean",
    ("denoise", "model", "mean"),
    "wrong pixels per character",
)
DENOISED_MAX = Metric(
    "denoised_max",
    "wrong pixels of the worst character, denoised",
    ("denoise", "model", "max"),
    "worst character",
)
ELBO_TRAIN = Metric(
    "neg_elbo_train",
    "negative ELBO, training set (nats per character)",
    ("train", "neg_elbo"),
    "−ELBO, training set",
)
ELBO_TEST = Metric(
    "neg_elbo_test",
    "negative ELBO, test set (nats per character)",
    ("test", "neg_elbo"),
    "−ELBO, test set",
)
SECONDS = Metric("seconds", "training seconds", ("timing", "seconds"))
MAE = Metric("mae", "mean absolute error", ("errors", "zero_one", "mae"), "MAE")
SSE = Metric(
    "sse",
    "squared error summed over the pixels of each character",
    ("errors", "zero_one", "sse"),
    "squared error per character",
)


def _in_plus_minus_one(metric: Metric) -> Metric:
    """An error measure taken in {-1, 1} pixels, which runs trained on them store beside the
    one in {0, 1} (every difference twice as large): the figures a study of such runs
    reports. NaN for other runs."""
    name = metric.path[-1]
    return Metric(
        f"{name}_pm1",
        f"{metric.label} in {{-1, 1}}",
        ("errors", "plus_minus_one", name),
        f"{metric.short} in {{-1, 1}}",
    )


MSE_PM1, MAE_PM1, SSE_PM1 = map(_in_plus_minus_one, (MSE, MAE, SSE))
