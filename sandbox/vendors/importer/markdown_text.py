"""A provisioning tutorial's Markdown as sections and blocks, the shapes the importer reads.

Only what the Microsoft Entra tutorials use is read: YAML front matter, ATX headings, numbered
and bulleted steps with their indented images and tables, bold labels and links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FRONT = re.compile(r"\A\ufeff?---\s*\n(.*?)\n---[ \t]*\n", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_STEP = re.compile(r"^ {0,3}(?:\d+[.)]|[*+-])\s+")
_FENCE = re.compile(r"^\s*(```|~~~)")
BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ANCHOR = re.compile(r"<a name=[^>]*>\s*</a>")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\.(?:png|jpe?g|gif|svg)[^)]*\)", re.I)
# A run of characters that looks like UTF-8 read as Mac Roman or Windows-1252, e.g. "Cr√©er".
_MOJIBAKE = re.compile(r"[\u0080-\u02ff\u2018-\u203a\u2122\u221a\u2260\u2264\u2265\u25ca]{2,}")


@dataclass
class Block:
    """One step or paragraph: its first line and the lines indented under it."""

    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def has_image(self) -> bool:
        return bool(IMAGE.search(self.text))


@dataclass
class Section:
    """A heading and the lines up to the next heading of any level."""

    level: int
    heading: str
    lines: list[str] = field(default_factory=list)
    parent: str = ""  # the heading of the nearest enclosing section of a lower level

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def blocks(self) -> list[Block]:
        """The section's steps and paragraphs, each with the lines indented under it."""
        found: list[Block] = []
        blank = True
        for line in self.lines:
            if not line.strip():
                blank = True
                continue
            starts = _STEP.match(line) or (blank and not line.startswith((" ", "\t")))
            if starts or not found:
                found.append(Block([line]))
            else:
                found[-1].lines.append(line)
            blank = False
        return found


@dataclass
class Tutorial:
    """A tutorial read into front matter, a title and its sections."""

    front: dict[str, str]
    title: str
    sections: list[Section]

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.sections)

    def find(self, pattern: str) -> list[Section]:
        """The sections whose heading (or whose parent's heading) matches `pattern`."""
        rx = re.compile(pattern, re.I)
        return [s for s in self.sections if rx.search(s.heading) or rx.search(s.parent)]


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Mac Roman or Windows-1252 ("Cr√©er" → "Créer")."""

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        for codec in ("mac_roman", "cp1252"):
            try:
                return run.encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
        return run

    return _MOJIBAKE.sub(fix, text)


def parse_tutorial(text: str) -> Tutorial:
    """Read Markdown into front matter and sections (headings inside code fences ignored)."""
    text = repair_mojibake(text.replace("\r\n", "\n"))
    front: dict[str, str] = {}
    match = _FRONT.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and not key.startswith((" ", "#")):
                front[key.strip()] = value.strip().strip("'\"")
        text = text[match.end():]
    sections = [Section(0, "")]
    parents: dict[int, str] = {}
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            level, title = len(heading.group(1)), plain(heading.group(2))
            parent = next((parents[k] for k in sorted(parents, reverse=True) if k < level), "")
            parents = {k: v for k, v in parents.items() if k < level} | {level: title}
            sections.append(Section(level, title, parent=parent))
        elif not _ANCHOR.fullmatch(line.strip()):
            sections[-1].lines.append(line)
    title = next((s.heading for s in sections if s.level == 1), front.get("title", ""))
    return Tutorial(front, title, sections)


def plain(text: str) -> str:
    """Text without Markdown marks: links keep their words, bold and code marks go."""
    text = _LINK.sub(lambda m: m.group(1), text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"[ \t]+", " ", text).strip()


def bold_labels(text: str) -> list[tuple[str, str]]:
    """Each bold label of `text` with the words before it on its line (for the verb)."""
    found = []
    for line in text.splitlines():
        for match in BOLD.finditer(line):
            label = (match.group(1) or match.group(2) or "").strip()
            found.append((label, plain(line[:match.start()])))
    return found


def sentences(text: str) -> list[str]:
    """`text` without Markdown marks, cut into sentences."""
    flat = plain(" ".join(line.strip() for line in text.splitlines()))
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z*\[`(])", flat) if s.strip()]
