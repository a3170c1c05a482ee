"""How the console writes counts, ids and paths: plain Python, also used as Jinja filters
(`{{ n | plural('request') }}`, `{{ path | breakable }}`, `{{ id | short_id }}`,
`{{ details | pretty_json }}`)."""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

# Where a long path may wrap: after '/' or ':', before '?' or '&'.
_PATH_BREAK = re.compile(r"(?<=[/:])(?=.)|(?<=.)(?=[?&])")
# Where a long CamelCase code (SystemForCrossDomain...) may wrap: before each word.
_WORD_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])")


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """`plural(1, "request")` → "1 request"; `plural(3, "request")` → "3 requests";
    `plural(2, "entry", "entries")` for a noun that does not just take an s."""
    return f"{count} {noun if count == 1 else plural_noun or noun + 's'}"


def breakable(text: str, words: bool = False) -> Markup:
    """`text`, escaped, with a `<wbr>` wherever it may wrap, so that a narrow table cell
    wraps `PATCH /Groups/<id>` between its parts rather than inside the id; with `words`,
    a CamelCase code wraps between its words."""
    pieces = (_WORD_BREAK if words else _PATH_BREAK).split(str(text))
    return Markup("<wbr>").join(escape(piece) for piece in pieces)


def short_id(value: str | None, placeholder: str = "—") -> Markup:
    """An id in a narrow column: cut short with an ellipsis by the stylesheet, whole in the
    text (copying it copies all of it) and in the tooltip."""
    if not value:
        return Markup(placeholder)
    return Markup('<span class="short-id" title="{0}">{0}</span>').format(value)


def pretty_json(value: Any) -> str:
    """`value` as indented JSON for a `<pre>` (the template escapes it): the requests and
    answers of an on-demand step as they travelled, unicode kept readable."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)
