"""``optimiser verify``: the independent verifier lives in :mod:`optimiser.verification`."""

from .verification import Verification, verify_result

__all__ = ["verify_result", "Verification"]
