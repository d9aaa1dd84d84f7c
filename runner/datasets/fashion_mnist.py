"""fashion-mnist: Zalando's 70,000 28x28 grey pictures of clothes in 10 classes, MNIST's
format and split (idxset.py: from dataset.path, or downloaded once into the cache folder)."""

from __future__ import annotations

from runner.datasets.idxset import IdxSet

# The MD5s of the .gz files that Fashion-MNIST's README publishes.
SET = IdxSet(
    "fashion-mnist",
    over="file",
    classes=(
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
    checksums={
        "train-images-idx3-ubyte": "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte": "md5:25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte": "md5:bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte": "md5:bb300cfdad3c16e7a12a480ee83cd310",
    },
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        ("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
    ),
)

INFO, load, fingerprint = SET.info, SET.load, SET.fingerprint
