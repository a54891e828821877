from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataVersionConfig(AppConfig):
    name = "data_version"
    verbose_name = _("Data version")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from groups.models import Fellowship, Group
        from meetings.models import Feature, Language, Meeting, Venue

        from . import bump

        # Every single-row change to what listings show. Bulk writes send no signal and
        # bump explicitly (see data_version/__init__.py for the list).
        for model in (Meeting, Venue, Group, Fellowship, Feature, Language):
            post_save.connect(bump, sender=model, dispatch_uid="data_version")
            post_delete.connect(bump, sender=model, dispatch_uid="data_version")
        for through in (Meeting.features.through, Meeting.languages.through):
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid="data_version")
        post_migrate.connect(_migrated, sender=self, dispatch_uid="data_version")


def _m2m_changed(action: str, **kwargs) -> None:
    if action.startswith("post_"):
        from . import bump

        bump()


def _migrated(using: str, **kwargs) -> None:
    # A migration may have rewritten listings; unless this app was migrated away.
    from django.db import connections

    from . import bump
    from .models import DataVersion

    if DataVersion._meta.db_table in connections[using].introspection.table_names():
        bump()
