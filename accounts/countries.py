"""European countries an organisation may be based in, with translated names.

Organisations store ISO 3166-1 alpha-2 codes. NUTS codes use the same letters except for
Greece (EL, ISO GR) and the United Kingdom (UK, ISO GB), so region checks go through
`country_matches_region`.
"""

from django.utils.translation import gettext_lazy as _

COUNTRIES: list[tuple[str, str]] = [
    ("AT", _("Austria")),
    ("BE", _("Belgium")),
    ("BG", _("Bulgaria")),
    ("HR", _("Croatia")),
    ("CY", _("Cyprus")),
    ("CZ", _("Czechia")),
    ("DK", _("Denmark")),
    ("EE", _("Estonia")),
    ("FI", _("Finland")),
    ("FR", _("France")),
    ("DE", _("Germany")),
    ("GR", _("Greece")),
    ("HU", _("Hungary")),
    ("IE", _("Ireland")),
    ("IT", _("Italy")),
    ("LV", _("Latvia")),
    ("LT", _("Lithuania")),
    ("LU", _("Luxembourg")),
    ("MT", _("Malta")),
    ("NL", _("Netherlands")),
    ("PL", _("Poland")),
    ("PT", _("Portugal")),
    ("RO", _("Romania")),
    ("SK", _("Slovakia")),
    ("SI", _("Slovenia")),
    ("ES", _("Spain")),
    ("SE", _("Sweden")),
    ("IS", _("Iceland")),
    ("LI", _("Liechtenstein")),
    ("NO", _("Norway")),
    ("CH", _("Switzerland")),
    ("GB", _("United Kingdom")),
    ("AL", _("Albania")),
    ("BA", _("Bosnia and Herzegovina")),
    ("ME", _("Montenegro")),
    ("MK", _("North Macedonia")),
    ("RS", _("Serbia")),
    ("TR", _("Türkiye")),
    ("UA", _("Ukraine")),
    ("MD", _("Moldova")),
]

COUNTRY_CODES = frozenset(code for code, _name in COUNTRIES)

# ISO code -> NUTS prefix where they differ.
_NUTS_PREFIX = {"GR": "EL", "GB": "UK"}
_ISO_CODE = {prefix: iso for iso, prefix in _NUTS_PREFIX.items()}


def is_known_country(code: str) -> bool:
    return code in COUNTRY_CODES


def nuts_prefix(iso_code: str) -> str:
    return _NUTS_PREFIX.get(iso_code, iso_code)


def iso_code_of_nuts_prefix(prefix: str) -> str:
    """The inverse of nuts_prefix: "EL" -> "GR"."""
    return _ISO_CODE.get(prefix, prefix)


def country_matches_region(iso_code: str, region_country: str) -> bool:
    """True when a region (whose country may be stored as ISO or NUTS prefix) lies in
    the ISO country."""
    return region_country in {iso_code, nuts_prefix(iso_code)}


def country_name(code: str) -> str:
    return str(dict(COUNTRIES).get(code, code))
