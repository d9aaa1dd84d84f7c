"""mnist: the full MNIST, 60,000 training and 10,000 test digits, from its four IDX files
(idxset.py: from dataset.path, or downloaded once into the cache folder)."""

from __future__ import annotations

from runner.datasets.idxset import IdxSet

DIGITS = tuple(str(d) for d in range(10))  # the class names, of mnist-5k's digits too

# sha256 of each file's DECOMPRESSED content, so that a mirror's own gzip settings do not matter.
SET = IdxSet(
    "mnist",
    DIGITS,
    over="content",
    kind="digits",
    checksums={
        "train-images-idx3-ubyte": "sha256:ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "sha256:65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "sha256:0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "sha256:ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
)

INFO, load, fingerprint = SET.info, SET.load, SET.fingerprint
