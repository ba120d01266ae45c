"""Fashion-MNIST from the idx.gz files (Debian's dataset-fashion-mnist), standardised as @ausam/classification does."""
import gzip
import os

import numpy as np

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.286, 0.353  # FASHION_MNIST_NORMALIZATION


def _idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split, root=FASHION_MNIST):
    """(images float32 [N, 1, 28, 28] standardised, labels int64 [N]) of 'train' or 't10k'."""
    images = _idx(os.path.join(root, f"{split}-images-idx3-ubyte.gz"))
    labels = _idx(os.path.join(root, f"{split}-labels-idx1-ubyte.gz"))
    # The same float32 arithmetic as normalize(): x·((1/255)/std) + (−mean/std).
    x = images.astype(np.float32) * np.float32((1 / 255) / STD) + np.float32(-MEAN / STD)
    return x[:, None, :, :], labels.astype(np.int64)


def load_cifar10_train(root, limit):
    """(raw images uint8 [N, 3, 32, 32], labels int64 [N]): the first `limit` records of
    data_batch_1.bin … data_batch_5.bin in `root` (CIFAR-10's binary version, as loadCifar10 reads it)."""
    files = [os.path.join(root, f"data_batch_{i}.bin") for i in range(1, 6)]
    records = np.concatenate([np.fromfile(f, dtype=np.uint8).reshape(-1, 3073) for f in files])[:limit]
    return np.ascontiguousarray(records[:, 1:].reshape(-1, 3, 32, 32)), records[:, 0].astype(np.int64)
