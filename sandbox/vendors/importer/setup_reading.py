"""What a tutorial says about the app and its setup: name, capabilities, the vendor console's
menu path and language, prerequisites (restated in our short words) and the endpoint's status."""

from __future__ import annotations

import re

from sandbox.vendors.importer.markdown_text import BOLD, Tutorial, plain
from sandbox.vendors.importer.parts import ENTRA_LABELS

_NAV_VERB = re.compile(r"(?:^|\b)(select|click|choose|navigate to|go to|head to|open|toggle|tap|"
                       r"press|expand|switch to|then)(?: on)?(?: the)?\s*$", re.I)
_LABEL_SUFFIX = re.compile(r"\s+(page|tab|section|menu|screen|option)$", re.I)
_LANGUAGE_WORDS = {  # words of a console's labels that tell its language
    "fr": {"créer", "annuaires", "annuaire", "jeton", "paramètres", "synchronisation",
           "utilisateurs", "enregistrer", "générer", "sécurité", "intégrations"},
    "de": {"einstellungen", "benutzer", "speichern", "erstellen", "sicherheit"},
    "nl": {"instellingen", "gebruikers", "opslaan", "beveiliging"},
    "es": {"configuración", "usuarios", "guardar", "seguridad"},
}
_UNKNOWN_ITEM = "unread"


def app_name(tutorial: Tutorial) -> str:
    """The app's name: from the user mapping's label, else from the title."""
    match = re.search(r"\*\*synchroni[sz]e (?:microsoft entra|azure active directory|azure ad)"
                      r"(?: id)? users to (.+?)\*\*", tutorial.text, re.I)
    if match:
        return plain(match.group(1)).strip()
    title = re.sub(r"^tutorial:\s*", "", tutorial.title or tutorial.front.get("title", ""),
                   flags=re.I)
    title = re.sub(r"\b(\w+) \1\b", r"\1", title)  # a doubled word ("for for")
    match = re.search(r"configur\w*\s+(?:configuring\s+)?(.+?)\s+for\s+(?:automatic|"
                      r"user|provisioning)", title, re.I)
    return (match.group(1) if match else title).strip()


def _chained(line: str) -> list[tuple[list[str], str]]:
    """The bold labels of a line, those joined by '>' as one group, each with its prefix."""
    groups: list[tuple[list[str], str]] = []
    last_end = None
    for match in BOLD.finditer(line):
        label = (match.group(1) or match.group(2) or "").strip()
        parts = [plain(p) for p in re.split(r"\s*(?:>|&gt;|→)\s*", label) if plain(p)]
        between = line[last_end:match.start()] if last_end is not None else None
        if groups and between is not None and re.fullmatch(r"\s*(>|&gt;|→)\s*", between):
            groups[-1][0].extend(parts)
        else:
            sentence_start = max(line.rfind(". ", 0, match.start()) + 1, 0)
            groups.append((parts, plain(line[sentence_start:match.start()])))
        last_end = match.end()
    return groups


def menu_path(vendor: str) -> list[str]:
    """The labels an admin clicks in the vendor's console, in order."""
    path: list[str] = []
    for line in vendor.splitlines():
        for labels, before in _chained(line):
            if len(labels) > 1 and any(ENTRA_LABELS.match(label) for label in labels):
                continue
            if len(labels) > 1 or _NAV_VERB.search(before):
                for label in labels:
                    label = _LABEL_SUFFIX.sub("", label)
                    if not path or path[-1] != label:
                        path.append(label)
    return path


def console_language(labels: list[str]) -> str:
    """The language of the vendor console's labels (English unless its words say otherwise)."""
    text = " ".join(labels).lower()
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text):
        return "ja"
    words = set(re.findall(r"[\w\u00c0-\u024f]+", text))
    for language, known in _LANGUAGE_WORDS.items():
        if words & known:
            return language
    return "en"


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def restate_prerequisite(item: str, app: str) -> str | None:
    """One prerequisite in our short words, or None when no pattern reads it."""
    # The app's own name may hold words the patterns look for ("SSO-SCIM").
    text = plain(item).rstrip(".").replace(app, "the app")
    if re.search(r"single sign-on|\bsso\b|saml", text, re.I):
        return "single sign-on configured first"
    if re.search(r"entra|azure|microsoft|cloud application administrator|application "
                 r"administrator|\[!include", text, re.I):
        return None
    if match := re.search(r"\b(?:with|on) (?:the |an? )?(.+? (?:plan|subscription|license|"
                          r"edition|tier))( or (?:better|higher|above))?", text, re.I):
        return match.group(1) + (match.group(2) or "")
    if match := re.search(r"(admin\w*|owner|manager)\s+(?:permissions|rights|role|access)",
                          text, re.I):
        return _article(f"{app} account with {match.group(1)} permissions")
    if re.search(r"administrator account", text, re.I):
        return "an administrator account with the app"
    if re.search(r"\bthe app\b.*\b(tenant|account|instance|subscription)\b", text, re.I):
        noun = re.search(r"\b(tenant|account|instance|subscription)\b", text, re.I)
        return _article(f"{app} {noun.group(1).lower()}") if noun else None
    return None


def prerequisites(tutorial: Tutorial, app: str) -> tuple[list[str], int]:
    """The app-side prerequisites restated, and how many items no pattern could read."""
    restated, unread = [], 0
    for section in tutorial.find(r"^prerequisites?$"):
        for line in section.lines:
            item = re.match(r"^\s*[*+-]\s+(.*)", line)
            if not item:
                continue
            words = restate_prerequisite(item.group(1), app)
            if words and words not in restated:
                restated.append(words)
            elif not words and not re.search(r"entra|azure|microsoft|administrator\]",
                                             item.group(1), re.I):
                unread += 1
    return restated, unread
