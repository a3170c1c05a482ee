"""The value formats a `value_format` rule may name, each a test of one value.

A test answers None for a value in the format, else what the format wants, in words a person
reads in a 400 (`"an E.164 phone number such as +14155550100"`). The code lists are the
assigned codes of the two ISO standards, so a plausible-looking `XX` is still refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable

FormatTest = Callable[[str], str | None]


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ISO 3166-1 alpha-2: every officially assigned code (249), states and territories.
ISO3166_ALPHA2 = _codes("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS YE YT ZA ZM ZW
""")

# ISO 639-1: the two-letter language codes.
ISO639_1 = _codes("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
yo za zh zu
""")

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
# An address as mail systems deliver it: a local part, '@', and a dotted domain.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
                    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
# RFC 5646 language tags as directories hold them: language, then script, region, variants.
_BCP47 = re.compile(r"(?P<language>[a-z]{2,3})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
                    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*", re.IGNORECASE)



def _e164(value: str) -> str | None:
    if _E164.fullmatch(value):
        return None
    return "an E.164 phone number: '+', the country code and the number, digits only, " \
           "e.g. +14155550100"


def _iso3166_alpha2(value: str) -> str | None:
    if value in ISO3166_ALPHA2:
        return None
    return "an ISO 3166-1 alpha-2 country code in capitals, e.g. US, FR or DE"


def _iso639(value: str) -> str | None:
    if value in ISO639_1:
        return None
    return "an ISO 639-1 language code in lower case, e.g. en, fr or de"


def _email(value: str) -> str | None:
    if _EMAIL.fullmatch(value):
        return None
    return "an email address such as ada@example.com"


def _bcp47(value: str) -> str | None:
    found = _BCP47.fullmatch(value)
    language = found.group("language").lower() if found else ""
    if found and (len(language) == 3 or language in ISO639_1):
        return None
    return "a BCP 47 language tag such as en-US or fr-CA (a hyphen, not an underscore)"


def _no_digits(value: str) -> str | None:
    if not any(character.isdigit() for character in value):
        return None
    return "text without digits"


FORMAT_TESTS: dict[str, FormatTest] = {
    "e164": _e164,
    "iso3166_alpha2": _iso3166_alpha2,
    "iso639": _iso639,
    "email": _email,
    "bcp47": _bcp47,
    "no_digits": _no_digits,
}
