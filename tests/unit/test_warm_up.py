"""A new worker's warm-up (deploy/gunicorn.conf.py calls it before the first request)."""

import gc

import pytest

from directory import warm_up


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_the_warm_up_built_is_frozen_out_of_full_collections(app, unfrozen):
    warm_up.warm_up_worker(app)
    assert gc.get_freeze_count() > 1000


def test_a_failed_warm_up_still_freezes_and_lets_the_worker_start(app, unfrozen, monkeypatch):
    def unavailable():
        raise OSError("index folder gone")

    monkeypatch.setattr(warm_up.providers, "warm_up", unavailable)
    warm_up.warm_up_worker(app)
    assert gc.get_freeze_count() > 0
