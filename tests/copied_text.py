"""Whether a text of ours copies a source: a run of words both share, Markdown marks aside."""

from __future__ import annotations

import re
from collections.abc import Iterable

RUN = 8  # words in a row; shorter runs are names, menu paths and common phrases
# A URN or URL is one word: it is a name, however many parts it has.
_WORD = re.compile(r"(?:urn|https?):[^\s`'\"|)]+|[a-z0-9\u00c0-\u024f']+")


def word_list(text: str, names: Iterable[str] = ()) -> list[str]:
    """The words of `text`, lower-cased, each name in `names` (longest first) as one word."""
    text = text.lower()
    for name in names:  # a product's name counts as one word, as a URN does
        text = text.replace(name.lower(), " name ")
    return _WORD.findall(text)


def shared_run(ours: str, source: str, length: int = RUN,
               names: Iterable[str] = ()) -> str | None:
    """The first run of `length` words of `ours` that also occurs in `source`, else None."""
    names = sorted(names, key=len, reverse=True)
    theirs = word_list(source, names)
    runs = {" ".join(theirs[i:i + length]) for i in range(len(theirs) - length + 1)}
    mine = word_list(ours, names)
    for i in range(len(mine) - length + 1):
        run = " ".join(mine[i:i + length])
        if run in runs:
            return run
    return None
