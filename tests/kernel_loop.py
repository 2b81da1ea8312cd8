"""Running a test as a kernel runs a cell: in a thread of its own, with no event loop running.

In a whole test session Playwright's sync API (the browser tests) leaves its loop set as running
in the test's thread: there ``asyncio.run`` refuses to start, and the dashboard would take that
loop for a kernel's and schedule a training run on it that never goes on.
"""

from __future__ import annotations

import asyncio
import functools
import threading


def in_a_thread(main) -> None:
    """Run ``main`` in a thread of its own; what it raises is raised here."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            main()
        except BaseException as exc:  # handed to the test's thread below
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def in_the_kernels_loop(scenario) -> None:
    """Run the coroutine function ``scenario`` in an event loop of its own, as a kernel runs its cells."""
    in_a_thread(lambda: asyncio.run(scenario()))


def own_thread(test):
    """A test function that runs in a thread of its own (:func:`in_a_thread`)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        in_a_thread(lambda: test(*args, **kwargs))

    return wrapper
