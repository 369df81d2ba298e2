"""Sums integers in C."""
from fastsum._sum import total

__all__ = ["total"]
