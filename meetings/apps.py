from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Venues and meetings")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        import data_version
        from groups.models import Fellowship

        from . import catalogue, page_cache
        from .models import Feature, Language

        # Staff edits to the lists every search reads (see meetings.catalogue).
        for model in (Fellowship, Feature, Language):
            post_save.connect(catalogue.forget, sender=model, dispatch_uid="catalogue")
            post_delete.connect(catalogue.forget, sender=model, dispatch_uid="catalogue")
        # Every committed change to the listings, told to every host's kept pages.
        data_version.changed.connect(page_cache.announce, dispatch_uid="page_cache")
