"""The Jinja2 environment for the few hot templates in templates/jinja2/ (settings.TEMPLATES):
Django's own translations, so `_("Online")` reads the same catalogue as {% translate %}."""

from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    return env
