"""Numbers of the schema: finite, within a plausible range, never ``true``/``false``.

Every number a scenario holds is written ``Annotated[float, Range(lo, hi)]`` (or ``int``): YAML
reads ``.inf``, ``.nan``, ``1e308`` and ``true`` as numbers, and each of them once reached the
model (an infinite bound, a cost of NaN, ``true`` read as 1). A :class:`Range` refuses them all
with one message that names the range (``must be a number greater than 0 and at most 1440``),
adds the bounds to the JSON Schema (editors check them as you type) and to the key reference.

The ranges are generous (a whole region, a large city's budget) but finite: a value beyond
them is a typo, a unit mistake or a test of the tool, never a planning question.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic_core import PydanticCustomError, core_schema

#: Error type of a number outside its range (read by :mod:`optimiser.scenario.messages`).
RANGE_ERROR = "number_range"


def number_text(value: float) -> str:
    """``1440``, ``0.5``, ``100,000``, ``1e+09`` — short and exact."""
    if float(value).is_integer() and abs(value) < 1e7:
        return f"{int(value):,}"
    if float(value).is_integer():
        return f"{value:.0e}".replace("e+0", "e").replace("e+", "e")
    return f"{value:g}"


@dataclass(frozen=True)
class Range:
    """The closed interval ``[lo, hi]``; ``above``: ``lo`` itself excluded, ``below``: ``hi``
    excluded. Used as pydantic metadata: ``Annotated[float, Range(0, 1440, above=True)]``."""

    lo: float
    hi: float
    above: bool = False
    below: bool = False

    def text(self) -> str:
        """``from 0 to 1,440``, ``greater than 0 and at most 1,440``, ``at least 0 and less than 1``."""
        lo, hi = number_text(self.lo), number_text(self.hi)
        if not self.above and not self.below:
            return f"from {lo} to {hi}"
        low = f"greater than {lo}" if self.above else f"at least {lo}"
        high = f"less than {hi}" if self.below else f"at most {hi}"
        return f"{low} and {high}"

    def holds(self, value: float) -> bool:
        low = value > self.lo if self.above else value >= self.lo
        high = value < self.hi if self.below else value <= self.hi
        return low and high

    def refuse(self, template: str, value, noun: str = "number") -> PydanticCustomError:
        """The error for ``value``; ``template`` may use ``{noun}`` and ``{range}``."""
        return PydanticCustomError(RANGE_ERROR, template, {"noun": noun, "range": self.text()})

    def check(self, value, noun: str = "number"):
        """``value`` if it is a finite number (not true/false) in the range, else the error.

        Text that reads as a number (``"1e308"``: PyYAML reads exponents without a dot as text)
        is checked as that number and returned unchanged, for pydantic to parse.
        """
        number = value
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                raise self.refuse("expected a {noun} {range}", value, noun) from None
        if isinstance(number, bool):
            raise self.refuse("expected a {noun} {range}, not true/false", value, noun)
        if not isinstance(number, (int, float)):
            raise self.refuse("expected a {noun} {range}", value, noun)
        if isinstance(number, float) and not math.isfinite(number):
            raise self.refuse("expected a finite {noun} {range}", value, noun)
        if noun == "whole number" and isinstance(number, float) and not number.is_integer():
            raise self.refuse("expected a {noun} {range}", value, noun)
        if not self.holds(number):
            raise self.refuse("must be {range}", value, noun)
        return value

    def __get_pydantic_core_schema__(self, source, handler):
        # Checked before parsing (true/false and ±inf/NaN would parse as numbers) and after
        # (a quoted "1e308" or "inf" is a number only once parsed).
        noun = "whole number" if source is int else "number"
        inner = core_schema.no_info_after_validator_function(lambda v: self.check(v, noun), handler(source))
        return core_schema.no_info_before_validator_function(lambda v: self.check(v, noun), inner)

    def __get_pydantic_json_schema__(self, schema, handler):
        out = handler(schema)
        out["exclusiveMinimum" if self.above else "minimum"] = self.lo
        out["exclusiveMaximum" if self.below else "maximum"] = self.hi
        return out


def range_of(annotation) -> Range | None:
    """The :class:`Range` of an annotation (through ``Optional`` and ``Annotated``), if any."""
    for item in getattr(annotation, "__metadata__", ()):
        if isinstance(item, Range):
            return item
    import typing

    for arg in typing.get_args(annotation):
        found = range_of(arg)
        if found is not None:
            return found
    return None
