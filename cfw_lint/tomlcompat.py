"""tomllib on 3.11+, tomli before; deep nesting is a decode error, not a RecursionError."""

import sys
import types

if sys.version_info >= (3, 11):
    import tomllib as _tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as _tomllib


def _too_deep() -> Exception:
    return _tomllib.TOMLDecodeError("arrays or tables nested too deeply (at line 1, column 1)")


def loads(text, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return _tomllib.loads(text, **kwargs)
    except RecursionError:
        raise _too_deep() from None


def load(fp, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return _tomllib.load(fp, **kwargs)
    except RecursionError:
        raise _too_deep() from None


# `from cfw_lint.tomlcompat import tomllib` keeps working: the same names, guarded parsers
tomllib = types.SimpleNamespace(loads=loads, load=load, TOMLDecodeError=_tomllib.TOMLDecodeError)

__all__ = ["tomllib"]
