"""The whole-directory feeds take turns, so that robots fetching them cannot crowd out
visitors' pages.

On each host, one feed request at a time does its work (the ETag, reading the kept
rendering, starting a build), and turns are paced: FEED_TURNS_PER_SECOND a second,
after a burst of as many (a client fetching a few feeds in a row is never slowed; twelve
fetching without pause share that many a second between them). The rest of the machine
is left to the pages. A request waits for its turn in its own gunicorn thread, using no
CPU (gunicorn.conf.py gives each worker 8, so that pages find threads free), for up to
TURN_WAIT seconds; past that, the feed answers 503 with Retry-After, in JSON, as its
other errors do.

Without turns, twelve clients fetching kept feeds without pause made a search several
times slower on two cores (docs/benchmarks.md, "Feeds").

The turn is a multiprocessing semaphore, made when this module is first imported. With
gunicorn's preload_app (gunicorn.conf.py) that is in the master, before the workers are
forked, so every worker on the host shares it; without it, each process has its own.
The pace is kept beside it, in shared memory, read and written only by the turn's holder.
"""

import contextlib
import multiprocessing
import threading
import time
from collections.abc import Iterator

from django.conf import settings

# Longest a request waits for its turn before it is answered 503.
TURN_WAIT = 10.0
RETRY_AFTER = 5  # seconds, for the 503

_turn = multiprocessing.Semaphore(1)
# The pace as a "generic cell rate": the moment (time.monotonic(), one clock for every
# process on the host) by which the turns begun so far would have begun at exactly the
# rate. A turn waits while that is more than a second (the burst) ahead of now.
_paced_until = multiprocessing.Value("d", 0.0, lock=False)
_holding = threading.local()


class NoTurn(Exception):
    """No turn came within TURN_WAIT seconds."""


@contextlib.contextmanager
def turn() -> Iterator[None]:
    """Wait for this host's next feed turn and hold it until the block ends."""
    if not settings.FEED_TURNS_PER_SECOND:
        yield
        return
    _take()
    try:
        yield
    finally:
        # Not if a turn given up by aside() could not be taken back: it is another's.
        if _holding.turn:
            _give_back()


@contextlib.contextmanager
def aside() -> Iterator[None]:
    """Within a turn, give it up for the block (to wait for something other than the
    CPU: a build on another worker), and take a new one after it."""
    if not getattr(_holding, "turn", False):
        yield
        return
    _give_back()
    try:
        yield
    finally:
        _take()


def reset() -> None:
    """Forget the pace: as on a host just started (for tests)."""
    _paced_until.value = 0.0


def _take() -> None:
    if not _turn.acquire(timeout=TURN_WAIT):
        raise NoTurn
    _holding.turn = True
    interval = 1 / settings.FEED_TURNS_PER_SECOND
    now = time.monotonic()
    ahead = _paced_until.value - now - 1.0  # a second's worth of turns may come at once
    if ahead > 0:
        time.sleep(ahead)
        now += ahead
    _paced_until.value = max(_paced_until.value, now) + interval


def _give_back() -> None:
    _holding.turn = False
    _turn.release()
