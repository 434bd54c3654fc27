"""Argument checks shared by the models: one ValueError that names the argument and what is allowed."""

from __future__ import annotations

import numpy as np


def number(name, x, low=None, high=None, unit="", low_inclusive=True, allow_array=False):
    """x as float (or float array when allow_array), or ValueError naming `name` and the allowed range."""
    where = _range_text(low, high, unit, low_inclusive)
    if isinstance(x, bool) or x is None or isinstance(x, str):
        raise ValueError(f"{name} must be a number {where}; got {x!r}")
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number {where}; got {x!r}") from None
    if arr.ndim > 0 and not allow_array:
        raise ValueError(f"{name} must be a single number {where}; got an array")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be a finite number {where}; got {x!r}")
    if low is not None:
        bad = arr < low if low_inclusive else arr <= low
        if np.any(bad):
            raise ValueError(f"{name} must be {where}; got {_show(x)}")
    if high is not None and np.any(arr > high):
        raise ValueError(f"{name} must be {where}; got {_show(x)}")
    return arr if arr.ndim > 0 else float(arr)


def whole(name, x, low, high):
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or not low <= x <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {x!r}")
    return int(x)


def choice(name, x, allowed):
    if x not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(str, allowed))}; got {x!r}")
    return x


def _range_text(low, high, unit, low_inclusive):
    u = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}{u}"
    if low is not None:
        return f"{'>=' if low_inclusive else '>'} {low:g}{u}"
    if high is not None:
        return f"<= {high:g}{u}"
    return f"(in {unit})" if unit else ""


def _show(x):
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):g}"
    return f"an array with values from {arr.min():g} to {arr.max():g}"
