"""The whole-directory feeds take turns on each host (meetings/feed_turns.py), so that
clients fetching them without pause cannot crowd out visitors' pages."""

import json
import threading
import time

import pytest

from meetings import feed_turns
from meetings.models import Weekday
from tests.factories import make_meeting

FEEDS = ["/api/meeting-guide.json", "/meetings.csv", "/meetings.ics"]


@pytest.fixture
def fresh_pace():
    feed_turns.reset()
    yield
    feed_turns.reset()


@pytest.fixture
def turn_held_elsewhere():
    """Another request (here a thread) holds the host's feed turn until the test ends."""
    taken, done = threading.Event(), threading.Event()

    def hold():
        with feed_turns.turn():
            taken.set()
            done.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(5)
    yield
    done.set()
    holder.join(5)


@pytest.fixture
def meeting(fellowships):
    return make_meeting(fellowship=fellowships["aa"], name="Leeds Tuesday",
                        weekday=Weekday.TUESDAY)


@pytest.mark.parametrize("path", FEEDS)
def test_a_feed_waits_for_its_turn_and_past_the_wait_is_told_kindly_to_retry(
    client, meeting, fresh_pace, turn_held_elsewhere, monkeypatch, path
):
    monkeypatch.setattr(feed_turns, "TURN_WAIT", 0.2)
    started = time.monotonic()
    response = client.get(path)
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(feed_turns.RETRY_AFTER)
    assert "try again" in json.loads(response.content)["error"]


def test_pages_do_not_wait_for_the_feeds_turn(client, meeting, fresh_pace, turn_held_elsewhere,
                                              monkeypatch):
    monkeypatch.setattr(feed_turns, "TURN_WAIT", 0.2)
    for path in ["/meetings/?day=tuesday", "/meetings.json?day=tuesday", "/healthz"]:
        assert client.get(path).status_code == 200


def test_the_turn_is_handed_on_when_its_holder_finishes(client, meeting, fresh_pace):
    with feed_turns.turn():
        pass
    assert client.get("/meetings.csv").status_code == 200
    with feed_turns.turn():  # the view gave it back too
        pass


def test_turns_come_at_the_set_rate_after_a_burst_of_as_many(settings, fresh_pace):
    settings.FEED_TURNS_PER_SECOND = 20
    started = time.monotonic()
    for _ in range(20):  # the burst: no waiting (20 turns in well under their second)
        with feed_turns.turn():
            pass
    assert time.monotonic() - started < 0.5
    for _ in range(11):  # then one each 1/20 s: 10 intervals after the first of these
        with feed_turns.turn():
            pass
    assert time.monotonic() - started >= 10 / 20 - 0.01


def test_no_turns_when_switched_off(settings, fresh_pace, turn_held_elsewhere):
    settings.FEED_TURNS_PER_SECOND = 0
    with feed_turns.turn():  # not kept waiting by the turn held elsewhere
        pass


def test_a_turn_not_taken_back_after_stepping_aside_is_not_given_back_twice(
    fresh_pace, monkeypatch
):
    # A request steps aside (waiting for a build elsewhere); meanwhile another takes the
    # turn and keeps it past TURN_WAIT, so the first cannot take it back and is answered
    # 503. It must not then give back a turn it no longer holds: there would be two.
    monkeypatch.setattr(feed_turns, "TURN_WAIT", 0.2)
    taken, done = threading.Event(), threading.Event()

    def hold():
        with feed_turns.turn():
            taken.set()
            done.wait(30)

    other = threading.Thread(target=hold)
    with pytest.raises(feed_turns.NoTurn), feed_turns.turn(), feed_turns.aside():
        other.start()
        assert taken.wait(5)
    done.set()
    other.join(5)
    holder = threading.Thread(target=hold)  # one turn held again...
    taken.clear()
    done.clear()
    holder.start()
    assert taken.wait(5)
    try:
        with pytest.raises(feed_turns.NoTurn), feed_turns.turn():  # ...leaves none to take
            pass
    finally:
        done.set()
        holder.join(5)
