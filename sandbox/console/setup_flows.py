"""A vendor's setup flow, built from its profile's `[setup]` and `[auth]` (no Flask): which
screens it has and in which order, what they say, and where the console's menu leads.

The kind of flow follows where the admin gets the secret (`auth.token_from`):

- `console`: the admin clicks down `[setup] menu` to a screen that issues the credentials
  (a profile that asks for no step at all gets a plain "Create a tenant" form instead);
- `support`: the admin sends the vendor's support a request; the reply carries them;
- `self_chosen`: the admin types a strong secret of their own, which becomes the token;
- `oauth`: the admin registers Entra as an OAuth client; Entra's Authorize does the rest.

Before that, `confirm_prerequisites` has the admin tick the prerequisites and `sso_first`
adds a single sign-on step. A vendor's one-of-a-kind screens are named `extra_steps`
(their code in `setup_steps`), standing for the single sign-on step or the screen that
issues the credentials. The views in `setup_views` only render what this module plans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from sandbox.vendors import Profile
from sandbox.vendors.profile_auth import OAUTH_AUTHORIZATION_CODE
from sandbox.vendors.setup_spec import EXTRA_STEPS
from sandbox.vendors.setup_spec import slugify as menu_slug

PLAIN, CONSOLE, SUPPORT, SELF_CHOSEN, OAUTH = "plain", "console", "support", "self_chosen", "oauth"
GENERIC_SSO = "sso"  # the console's own single sign-on step (no named step stands for it)
MAIN = "main"  # the screen at the end of [setup] menu

# Words of the simulated consoles that a profile may translate under [setup.labels].
DEFAULT_LABELS: dict[str, str] = {
    "url_label": "Tenant URL",
    "copy_button": "Copy",
    "copied_notice": "Copied",
    "simulation": "simulation",
    "home": "Home",
    "select_next": "Select {next} in the menu.",
    "enable": "Enable",
    "enabled": "Enabled",
    "disabled": "Disabled",
    "save": "Save",
    "username_label": "Username",
    "password_label": "Password",
    "client_id_label": "Client ID",
    "client_secret_label": "Client secret",
    "token_url_label": "Token URL",
    "authorize_url_label": "Authorization URL",
    "slug_label": "Account slug",
    "prerequisites_title": "Before you start",
    "prerequisites_button": "Sign in to {console}",
    "sso_title": "Single sign-on",
    "sso_issuer_label": "Microsoft Entra Identifier",
    "sso_url_label": "Login URL",
    "certificate_label": "Certificate (Base64)",
    "errors_title": "The form was not saved.",
}


@dataclass(frozen=True, slots=True)
class FlowPlan:
    """The steps of one vendor's setup flow."""

    kind: str  # PLAIN, CONSOLE, SUPPORT, SELF_CHOSEN or OAUTH
    console: str  # the console's name, in its header
    confirm_prerequisites: bool
    sso: str | None  # None, GENERIC_SSO, or the named step that sets single sign-on up
    issuer: str | None  # the named step that issues the credentials; None: the kind's own
    has_menu: bool  # [setup] menu leads to the screen that issues the credentials

    @property
    def own_issue_screen(self) -> str | None:
        """The kind's own screen that issues the credentials ("enable" or "secret"), where
        no named step stands for it."""
        if self.issuer or self.kind in (PLAIN, SUPPORT):
            return None
        return "secret" if self.kind == SELF_CHOSEN else "enable"


def flow_plan(profile: Profile) -> FlowPlan:
    """The flow of `profile`, read from its `[setup]` and `[auth]` (checked at load by
    `vendors.setup_spec`)."""
    setup = profile.setup
    named = {EXTRA_STEPS[name].role: name for name in setup.get("extra_steps", ())}
    has_menu = bool(setup.get("menu"))
    source = profile.auth.token_from
    if source == "console":
        # Only a profile that asks for no step of its own gets the plain form.
        steps = has_menu or named or setup.get("sso_first") or setup.get("confirm_prerequisites")
        kind = CONSOLE if steps else PLAIN
    else:
        kind = {"support": SUPPORT, "self_chosen": SELF_CHOSEN}.get(source, OAUTH)
    sso = named.get("sso") or (GENERIC_SSO if setup.get("sso_first") else None)
    return FlowPlan(kind=kind, console=str(setup.get("console") or profile.name),
                    confirm_prerequisites=bool(setup.get("confirm_prerequisites")),
                    sso=sso, issuer=named.get("credentials"), has_menu=has_menu)


def labels(profile: Profile) -> dict[str, str]:
    """The console's words for this vendor: defaults, then the profile's own; the secret's
    label is the profile's `[auth] token_label`."""
    words = {**DEFAULT_LABELS, **profile.setup.get("labels", {})}
    words["token_label"] = profile.auth.token_label
    words["prerequisites_button"] = words["prerequisites_button"].format(
        console=flow_plan(profile).console)
    return words


def language(profile: Profile) -> str:
    return str(profile.setup.get("language", "en"))


def guide(profile: Profile, step: str) -> list[str]:
    """The guide's lines for one step: what the tutorial has the admin do, in our words."""
    return list(profile.setup.get("guide", {}).get(step, []))


def summary(profile: Profile) -> str:
    """One sentence for the setup index: how this vendor's flow goes."""
    plan = flow_plan(profile)
    if plan.kind == PLAIN:
        return "A plain form: name the tenant, optionally choose its token."
    if plan.kind == SUPPORT:
        return ("No self-service: you send a support request and the credentials come back "
                "in the reply.")
    paths = [" > ".join(path) for path in menus(profile).values()]
    where = ("In the vendor's console: " + ", then ".join(paths) if paths
             else "One screen of the vendor's console")
    first = " Single sign-on comes first." if plan.sso else ""
    end = {SELF_CHOSEN: " You choose the secret yourself.",
           OAUTH: " Entra's Authorize button connects it (OAuth)."
           if profile.auth.kind == OAUTH_AUTHORIZATION_CODE
           else " Entra fetches its access tokens with a client id and secret (OAuth)."}
    return f"{where}.{first}{end.get(plan.kind, '')}"


_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def doc_line(line: str) -> Markup:
    """A guide line with its Markdown emphasis kept (bold, code) and link targets dropped."""
    text = str(escape(_LINK.sub(r"\1", line)))
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return Markup(_CODE.sub(r"<code>\1</code>", text))


# Credentials ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CredentialField:
    """One value the last screen shows with a Copy button."""

    key: str  # as TenantService.credentials() names it
    label: str
    element_id: str
    value: str


def credential_fields(profile: Profile, credentials: Mapping[str, str]) -> list[CredentialField]:
    """Every credential of a tenant, labelled in the vendor's words: the secret token under
    `[auth] token_label`, the others under `[setup.labels] <key>_label` or a default."""
    words = labels(profile)
    fields = []
    for key, value in credentials.items():
        label = words["token_label"] if key == "token" else words.get(
            f"{key}_label", key.replace("_", " ").capitalize())
        # "secret-token" is the id a bearer vendor's secret has always had on this page.
        element_id = "secret-token" if key == "token" else "credential-" + key.replace("_", "-")
        fields.append(CredentialField(key, label, element_id, str(value)))
    return fields


# Menus ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MenuItem:
    label: str
    trail: tuple[str, ...]  # slugs from the top of the menu down to this item
    depth: int
    current: bool


def menus(profile: Profile) -> dict[str, tuple[str, ...]]:
    """Each screen reached through the console's menu, by name: MAIN for `[setup] menu`,
    and each named step with a menu of its own (Vault Platform's two screens)."""
    setup = profile.setup
    found: dict[str, tuple[str, ...]] = {}
    if setup.get("menu"):
        found[MAIN] = tuple(setup["menu"])
    for name in setup.get("extra_steps", ()):
        if EXTRA_STEPS[name].own_menu:
            found[name] = tuple(setup[name]["menu"])
    return found


def issue_screen(profile: Profile) -> str | None:
    """The name of the screen, among `menus`, that issues the credentials."""
    plan = flow_plan(profile)
    if plan.issuer and EXTRA_STEPS[plan.issuer].own_menu:
        return plan.issuer
    return MAIN if plan.has_menu else None


def trail_of(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(menu_slug(label) for label in path)


def find_screen(profile: Profile, trail: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """(screen name if `trail` is a full menu path else None, its labels); a trail that is no
    menu path at all gives (None, ())."""
    for name, path in menus(profile).items():
        slugs = trail_of(path)
        if trail and slugs[:len(trail)] == trail:
            return (name if len(trail) == len(slugs) else None), path[:len(trail)]
    return None, ()


def menu_items(profile: Profile, trail: tuple[str, ...]) -> list[MenuItem]:
    """The console's menu as a tree, opened along `trail`: top-level items always, children
    of an item only once it is selected, so the admin clicks down as the tutorial says."""
    items: list[MenuItem] = []
    seen: set[tuple[str, ...]] = set()
    paths = list(menus(profile).values())
    for path in paths:
        slugs = trail_of(path)
        for depth, label in enumerate(path):
            item_trail = slugs[:depth + 1]
            if item_trail in seen or (depth and slugs[:depth] != trail[:depth]):
                continue
            seen.add(item_trail)
            items.append(MenuItem(label, item_trail, depth, item_trail == trail))
    # Keep children under their parent whatever order the menus were declared in.
    return sorted(items, key=lambda item: [_order(paths, item.trail[:i + 1])
                                           for i in range(len(item.trail))])


def _order(paths: list[tuple[str, ...]], trail: tuple[str, ...]) -> int:
    for index, path in enumerate(paths):
        if trail_of(path)[:len(trail)] == trail:
            return index
    return 0


def next_label(profile: Profile, trail: tuple[str, ...]) -> list[str]:
    """The labels one level below `trail` (what the admin selects next)."""
    found: list[str] = []
    for path in menus(profile).values():
        slugs = trail_of(path)
        below = len(slugs) > len(trail) and slugs[:len(trail)] == trail
        if below and path[len(trail)] not in found:
            found.append(path[len(trail)])
    return found
