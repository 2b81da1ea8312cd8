"""Datasets for training: TensorFlow Playground's 2-D toy sets and your own CSV files.

    >>> from backprop_widgets import datasets
    >>> X, Y = datasets.make("circles", n=200, noise=0.1, seed=0)
    >>> X.shape, Y.shape
    ((200, 2), (200, 1))
    >>> X_train, X_test, Y_train, Y_test = datasets.split(X, Y, test=0.2, seed=0)
    >>> len(X_train), len(X_test)
    (160, 40)

:func:`make` draws one of :data:`NAMES` (a :class:`Dataset` entry of :data:`DATASETS`; see
:mod:`backprop_widgets.core.datasets`), :func:`split` holds out a test set, and :func:`read_csv`
reads numeric columns whose last ``k`` are the targets (:mod:`backprop_widgets.core.csvfile`).
The maths lives in the core; this module only gives it its public names.
"""

from .core import DATASET_NAMES as NAMES
from .core import (
    DATASETS,
    MAX_BYTES,
    MAX_CLASSES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SAMPLES,
    Dataset,
    Split,
    one_hot,
    read_csv,
)
from .core import make_dataset as make
from .core import split_dataset as split

__all__ = [
    "DATASETS",
    "MAX_BYTES",
    "MAX_CLASSES",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SAMPLES",
    "NAMES",
    "Dataset",
    "Split",
    "make",
    "one_hot",
    "read_csv",
    "split",
]
