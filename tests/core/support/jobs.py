"""Job functions for the worker-process tests."""

import time

from flask import current_app

from app.core.redis import get_redis


def mark(key):
    get_redis(current_app).set(key, str(time.time()))


def slow(seconds):
    time.sleep(seconds)
