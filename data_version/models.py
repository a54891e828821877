import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_hex(4)


class DataVersion(models.Model):
    """A single row (pk=ROW) holding the listings' version: see data_version/__init__.py."""

    ROW = 1

    count = models.PositiveBigIntegerField(_("changes"), default=0)
    token = models.CharField(_("token"), max_length=16, default=new_token)

    class Meta:
        verbose_name = _("data version")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="data_version_single_row"),
        ]

    def __str__(self) -> str:
        return f"{self.count}-{self.token}"
