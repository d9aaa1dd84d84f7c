"""kmnist: Kuzushiji-MNIST, 70,000 28x28 grey handwritten hiragana of 10 classes, MNIST's
format and split (idxset.py: from dataset.path, or downloaded once into the cache folder)."""

from __future__ import annotations

from runner.datasets.idxset import IdxSet

# The MD5s of the .gz files as ROIS-CODH serves them (those torchvision checks too).
SET = IdxSet(
    "kmnist",
    over="file",
    classes=("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
    checksums={
        "train-images-idx3-ubyte": "md5:bdb82020997e1d708af4cf47b453dcf7",
        "train-labels-idx1-ubyte": "md5:e144d726b3acfaa3e44228e80efcd344",
        "t10k-images-idx3-ubyte": "md5:5c965bf0a639b31b8f53240b1b52f4d7",
        "t10k-labels-idx1-ubyte": "md5:7320c461ea6c1c855c0b718fb2a4b134",
    },
    mirrors=("https://codh.rois.ac.jp/kmnist/dataset/kmnist/",),
)

INFO, load, fingerprint = SET.info, SET.load, SET.fingerprint
