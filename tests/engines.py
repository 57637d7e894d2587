"""Helpers of the tests that run the same thing on SQLite and PostgreSQL (issue 17)."""

from __future__ import annotations

import dataclasses
import math


def differences(a, b, path: str = "", out: list | None = None) -> list[tuple[str, object, object]]:
    """Where two results differ (dataclasses, dicts, lists, tuples walked into; floats
    equal within 1e-9 of their size: SQLite's julianday carries a time to about 10 µs)."""
    out = [] if out is None else out
    if dataclasses.is_dataclass(a) and not isinstance(a, type) and type(a) is type(b):
        a = {f.name: getattr(a, f.name) for f in dataclasses.fields(a)}
        b = {f.name: getattr(b, f.name) for f in dataclasses.fields(b)}
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            out.append((path + " keys", sorted(map(str, a)), sorted(map(str, b))))
        for k in set(a) & set(b):
            differences(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            out.append((path + " length", len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            differences(x, y, f"{path}[{i}]", out)
    elif isinstance(a, float) and isinstance(b, float):
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            out.append((path, a, b))
    elif a != b or type(a) is not type(b) and not (
            isinstance(a, (int, float)) and isinstance(b, (int, float))):
        out.append((path, a, b))
    return out
