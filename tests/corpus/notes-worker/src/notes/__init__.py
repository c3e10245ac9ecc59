"""The notes package."""

__all__ = ["store", "render"]
