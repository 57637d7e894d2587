"""Plain-text helpers shared by every layer (no Qt here)."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%([1-9])")


def subst(template: str, *values: object) -> str:
    """Replace ``%1``..``%9`` in ``template`` by ``str(values[0])``..``str(values[8])``.

    All placeholders are replaced in one pass, so a value that itself contains ``%2``
    is never substituted again (chained ``str.replace`` calls do exactly that). A
    placeholder without a value is left as it is; ``%%`` has no special meaning.
    """
    texts = [str(v) for v in values]

    def one(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return texts[n - 1] if n <= len(texts) else match.group(0)

    return _PLACEHOLDER.sub(one, template)
