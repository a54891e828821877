"""The short lists behind every search: the fellowships, the meeting features and
languages, and whether any demo listing exists.

Every search page needs them (for its filter choices and its results) and they change
only when staff edit them, so each process keeps one copy, tagged with a version that
lives in the cache (shared by every process and host when CACHE_URL names Redis).
Saving or deleting a fellowship, feature or language, and loading demo data or an
import, replaces the version (`forget`), so every process reads the lists again on its
next request. The version also expires after a minute: that bounds how stale a process
can be when the cache is per process (no CACHE_URL) or a change bypassed the signals,
as a migration's bulk insert does.
"""

import logging
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils.functional import cached_property
from django.utils.translation import get_language

import data_version
from groups.models import Fellowship

from .models import Access, Feature, Language, Meeting
from .models.venues import VENUE_FEATURES

VERSION_KEY = "catalogue:version"
LIFETIME = 60  # seconds

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Catalogue:
    version: str
    fellowships: list[Fellowship]  # by name
    features: list[Feature]  # in the order they are listed
    languages: list[Language]  # by name
    demo_data: bool

    @cached_property
    def fellowships_by_id(self) -> dict[int, Fellowship]:
        return {fellowship.pk: fellowship for fellowship in self.fellowships}

    # Choices' labels per language: this copy serves pages in every language.
    labels: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def fellowship_choices(self) -> list[tuple[str, str]]:
        return [(fellowship.slug, fellowship.name) for fellowship in self.fellowships]

    @property
    def feature_choices(self) -> list[tuple[str, str]]:
        """Every public ?feature= value: access, venue facts, then the meeting features."""
        key = ("feature", get_language())
        if key not in self.labels:
            access = [(value, label.split(":")[0]) for value, label in Access.choices if value]
            venue = [(slug, str(label)) for slug, (_field, label) in VENUE_FEATURES.items()]
            self.labels[key] = access + venue + [
                (feature.slug, feature.shown_name) for feature in self.features
            ]
        return self.labels[key]

    @property
    def language_choices(self) -> list[tuple[str, str]]:
        key = ("language", get_language())
        if key not in self.labels:
            self.labels[key] = [
                (language.code, language.shown_name) for language in self.languages
            ]
        return self.labels[key]


_held: Catalogue | None = None


def current() -> Catalogue:
    """The lists as of the current version: one cache read, and three small queries
    plus one existence check only when the version has changed."""
    global _held
    version = _cached_version()
    held = _held
    if held is not None and held.version == version:
        return held
    # The version is read before the lists, so lists changed meanwhile are at worst
    # newer than their tag, and are read again when the tag changes.
    read = Catalogue(
        version=version,
        fellowships=list(Fellowship.objects.all()),
        features=list(Feature.objects.all()),
        languages=list(Language.objects.all()),
        demo_data=Meeting.objects.filter(source=Meeting.DEMO_SOURCE).exists(),
    )
    if version is not None:  # no version (no cache, or it is down): keep no copy here
        _held = read
    return read


def _cached_version() -> str | None:
    """The current version, set now if there is none. None if the cache keeps nothing
    or cannot be reached: pages then read the lists themselves rather than fail."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, LIFETIME)
            version = cache.get(VERSION_KEY)
    except Exception:  # the cache server is down or unreachable (redis.ConnectionError...)
        logger.warning("Cache unavailable: reading the fellowship lists on every page",
                       exc_info=True)
        return None
    return version


def forget(**_signal_kwargs) -> None:
    """Make every process read the lists again: now, for reads inside this transaction,
    and once it commits, for requests that read them in between. Then bump the data
    version: a page kept whole (meetings/page_cache.py) is keyed by the data version
    alone, and one built between the commit and the lists' new version, from lists
    read before it, is kept under the version the bump replaces."""
    drop_held()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_drop_version)
        transaction.on_commit(data_version.bump)
    else:
        data_version.bump()


def drop_held() -> None:
    """This process's copy and the version, without marking the listings changed."""
    global _held
    _held = None
    _drop_version()


def _drop_version() -> None:
    try:
        cache.delete(VERSION_KEY)
    except Exception:  # unreachable: other processes see the change when it lapses
        logger.warning("Cache unavailable: other processes will see the change within "
                       "%s seconds", LIFETIME, exc_info=True)
