"""The array types and the float64 facts every module of the core shares.

One copy of each: ``Array`` (a numpy array), ``FloatOrArray`` (what an elementwise function
takes and gives back) and the unit roundoff that every rounding-error bound is counted in.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

Array = np.ndarray
#: a number or an array: an elementwise function returns the kind it is given
FloatOrArray = TypeVar("FloatOrArray", float, Array)
#: unit roundoff of float64: each rounded operation is off by at most this fraction
UNIT_ROUNDOFF = np.finfo(float).eps / 2


def readonly(arr: Array) -> Array:
    """``arr`` itself, made read-only (a trace's arrays and a network's parameters are)."""
    arr.setflags(write=False)
    return arr
