"""Counted words shared by several pages."""

from django.utils.translation import gettext, ngettext


def miles_text(miles: float) -> str:
    """'1 mile', '10 miles', '2.5 miles'. A whole number is given to ngettext as itself,
    so each language picks its own form (Welsh has six: 1 filltir, 2 filltir, 3 milltir,
    6 milltir...). A fraction takes the form for decimals, which in English and Welsh is
    the plain plural: its own message, as ngettext counts whole numbers only."""
    if float(miles).is_integer():
        count = int(miles)
        return ngettext("%(miles)s mile", "%(miles)s miles", count) % {"miles": count}
    # Translators: a distance with a decimal point, like "2.5 miles".
    return gettext("%(miles)s miles") % {"miles": f"{miles:g}"}
