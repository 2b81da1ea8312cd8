"""A hard cap on live kernels, so that a full class server says so instead of sinking.

Every Voila page has a kernel of its own (~117 MB, and CPU to start it and run the notebook).
Past what the machine holds, more kernels make every page slow, then blank. With a cap, the
student one too many gets a small page, "The class server is full — try again in a minute",
with HTTP status 503, at once; the pages already open stay fast.

How it is wired, with public configuration only:

- Voila builds its kernel manager from ``VoilaConfiguration.multi_kernel_manager_class`` (the
  preheated pool is a subclass Voila derives from it), so every kernel start goes through
  :meth:`CappedKernelManager.start_kernel`: a page's own kernel and each preheated one alike.
- A page's kernel beyond the cap raises :class:`ServerFull`, a ``tornado.web.HTTPError`` with
  status 503. Voila's page handler does not catch exceptions from the kernel manager: tornado
  turns an ``HTTPError`` into ``send_error(503)``, and jupyter_server's
  ``JupyterHandler.write_error`` renders the template ``503.html``, which Voila looks up in the
  template's directories (as it does its own ``404.html``). Ours is
  ``templates/backprop/503.html``. Nothing of the page has been sent by then.

The preheated pool, within the cap. Voila keeps its pool as a list of start tasks and refills it
to ``pool_size`` each time a visitor takes one, whatever the cap. A refill refused at the cap
used to stay in that list as a failed task, and Voila's ``shutdown_kernel`` reads every task's
result to find the closed page's kernel: it re-raised the refusal, so every closing page got
``503 … kernels running, the cap`` and kept its kernel (until idle culling, 15 minutes later);
and once the culler dropped the failed tasks, nothing refilled the pool again. So the manager
refills the pool itself, through Voila's public ``kernel_pools_config`` and ``fill_if_needed``:

- Voila's own refill is set to 0 kernels; :meth:`CappedKernelManager.refill` tops the pool up
  to its size with as many kernels as the cap has room for, at start, every ``refill_interval``
  (after a visitor took one: Voila waits ``fill_delay``, 1 s, by default) and as soon as any
  kernel is gone (a page closed, a kernel culled or dead).
- Room counts every kernel alive or starting, and the pool's kernels asked for but not started
  yet: a page never takes the room of a preheated kernel already on its way, and a preheated
  start is never refused, so the pool holds no failed task. (Should one find no room all the
  same, it waits for room rather than fail.)
- A page finds a preheated kernel while the class has room for one; at the cap, the pool is
  empty and the page asks for a kernel of its own, which is refused: the "full" page.

What the route cannot do: set a ``Retry-After`` header. ``send_error`` clears the headers before
``write_error`` renders the page, and neither takes headers from the exception; the page itself
reloads after :data:`RETRY_AFTER_S` instead (``<meta http-equiv="refresh">``).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback
from tornado.web import HTTPError
from traitlets import Float, Integer

RETRY_AFTER_S = 30  # the "full" page reloads itself after this many seconds
# Voila starts a preheated kernel with this variable "True" in its environment (a page's own
# kernel: "False"); documented for notebooks as voila.utils.ENV_VARIABLE.VOILA_PREHEAT
PREHEAT_ENV = "VOILA_PREHEAT"


class ServerFull(HTTPError):
    """No kernel for this page: the server already runs ``max_kernels`` of them (HTTP 503)."""

    def __init__(self, max_kernels: int, retry_after: int = RETRY_AFTER_S) -> None:
        super().__init__(503, "%d kernels running, the cap", max_kernels, reason="Class server full")
        self.max_kernels = max_kernels
        self.retry_after = retry_after  # read by templates/backprop/503.html


def pool_refill(missing: int, max_kernels: int, committed: int) -> int:
    """How many preheated kernels to ask for: the ``missing`` ones of the pool, as far as the
    cap has room (``committed``: kernels alive, starting or asked for; ``max_kernels`` 0: no cap)."""
    if max_kernels:
        missing = min(missing, max_kernels - committed)
    return max(missing, 0)


class CappedKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager that refuses to start more than ``max_kernels`` kernels
    and keeps Voila's preheated pool within them.

    Use with ``--VoilaConfiguration.multi_kernel_manager_class`` (standalone Voila). Kernels
    still starting count: twenty visitors in the same second cannot overshoot the cap.
    """

    max_kernels = Integer(
        0,
        config=True,
        help="Most kernels alive at once, preheated ones included; 0: no cap. Past it, a page "
        "request gets HTTP 503 and a 'server full, try again' page.",
    )
    retry_after = Integer(RETRY_AFTER_S, config=True, help="Seconds after which the 'server full' page reloads itself.")
    refill_interval = Float(
        1.0,
        config=True,
        help="Seconds between checks that Voila's pool of preheated kernels is full (a visitor "
        "took one); a kernel that goes refills it at once.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.starting: set[str] = set()  # ids of kernels being started (not alive yet)
        self.asked = 0  # preheated kernels asked of Voila's pool whose start has not begun
        self.waiting = 0  # preheated starts waiting for room (none while the counts hold)
        self.room = asyncio.Event()  # set, then replaced, each time a kernel goes
        self.closing = False
        self.pool_sizes: dict[str, int] = {}  # notebook → pool size, where we refill the pool
        self.refilling: PeriodicCallback | None = None
        self.take_over_pool_refill()

    # --- counting ------------------------------------------------------------------------------

    def kernels(self) -> int:
        """Kernels alive or being started."""
        return len(set(self.list_kernel_ids()) | self.starting)

    def committed(self) -> int:
        """Kernels alive or being started, and the pool's asked for or waiting for room."""
        return self.kernels() + self.asked + self.waiting

    def has_room(self) -> bool:
        return not self.max_kernels or self.committed() < self.max_kernels

    # --- starting -------------------------------------------------------------------------------

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs: Any) -> str:
        if kernel_id is not None and kernel_id in self:  # a known kernel: nothing new starts
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        if self.closing:  # Voila is shutting its kernels down
            raise ServerFull(self.max_kernels, self.retry_after)
        if (kwargs.get("env") or {}).get(PREHEAT_ENV) == "True":
            self.asked = max(self.asked - 1, 0)  # its room was counted when it was asked for
            await self.wait_for_room()
        elif not self.has_room():
            self.log.warning(
                "Refusing to start a kernel: %d alive, starting or preheating, the cap (max_kernels) is %d",
                self.committed(),
                self.max_kernels,
            )
            raise ServerFull(self.max_kernels, self.retry_after)
        kernel_id = kernel_id or self.new_kernel_id()
        self.starting.add(kernel_id)
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self.starting.discard(kernel_id)
            if kernel_id not in self:  # the start failed: its room is free again
                self.kernel_gone()

    async def wait_for_room(self) -> None:
        """A preheated start is never refused (Voila would keep the refusal in its pool):
        without room it waits for a kernel to go."""
        if self.has_room():
            return
        self.log.warning("A preheated kernel waits for room: %d kernels, the cap", self.max_kernels)
        self.waiting += 1
        try:
            while self.kernels() + self.asked >= self.max_kernels and not self.closing:
                await self.room.wait()
        finally:
            self.waiting -= 1
        if self.closing:
            raise ServerFull(self.max_kernels, self.retry_after)

    # --- kernels that go ------------------------------------------------------------------------

    def remove_kernel(self, kernel_id: str) -> Any:
        """Every kernel that goes passes here: a shutdown (a closed page, culling) or a death."""
        km = super().remove_kernel(kernel_id)
        self.kernel_gone()
        return km

    def kernel_gone(self) -> None:
        self.room.set()
        self.room = asyncio.Event()
        if self.pool_sizes and not self.closing:
            asyncio.get_event_loop().call_soon(self.refill)

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        self.closing = True
        if self.refilling is not None:
            self.refilling.stop()
        self.room.set()
        await super().shutdown_all(*args, **kwargs)

    # --- Voila's pool ---------------------------------------------------------------------------

    def take_over_pool_refill(self) -> None:
        """With Voila's preheated pool for one notebook: set Voila's own refill to 0 kernels and
        refill the pool from :meth:`refill` instead (the configured size, within the cap)."""
        parent = self.parent
        if not hasattr(self, "fill_if_needed") or getattr(parent, "notebook_path", None) is None:
            return  # no pool (preheat_kernel off, or not Voila), or one per notebook of a folder
        notebook = os.path.relpath(parent.notebook_path, parent.root_dir)  # Voila's name for it
        config = dict(self.kernel_pools_config)
        default = config.get("default", {})
        own = dict(config.get(notebook, default))
        size = own.get("pool_size", default.get("pool_size", 1))
        own.setdefault("kernel_env_variables", default.get("kernel_env_variables", {}))
        if size <= 0:
            return
        self.pool_sizes[notebook] = size
        self.pool_config = own
        self.set_pool_size(notebook, 0)  # before Voila's __init__ fills its pool: it fills none
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:  # as Voila's fill_if_needed, which creates its tasks on this loop
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
        loop.call_soon(self.start_refilling)

    def set_pool_size(self, notebook: str, size: int) -> None:
        self.kernel_pools_config = {**self.kernel_pools_config, notebook: {**self.pool_config, "pool_size": size}}

    def start_refilling(self) -> None:
        self.refill()
        self.refilling = PeriodicCallback(self.refill, 1000 * self.refill_interval)
        self.refilling.start()

    def refill(self) -> None:
        """Top each pool up to its size, with as many kernels as the cap has room for."""
        for notebook, size in self.pool_sizes.items():
            if self.closing:
                return
            pooled = self.get_pool_size(notebook)
            more = pool_refill(size - pooled, self.max_kernels, self.committed())
            if more:
                self.asked += more
                self.set_pool_size(notebook, pooled + more)
                try:
                    self.fill_if_needed(delay=0, notebook_name=notebook)
                finally:
                    self.set_pool_size(notebook, 0)
