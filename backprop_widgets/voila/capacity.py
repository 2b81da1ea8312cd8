"""A hard cap on live kernels, so that a full class server says so instead of sinking.

Every Voila page has a kernel of its own (~117 MB, and CPU to start it and run the notebook).
Past what the machine holds, more kernels make every page slow, then blank. With a cap, the
student one too many gets a small page, "The class server is full — try again in a minute",
with HTTP status 503, at once; the pages already open stay fast.

How it is wired, with public configuration only:

- Voila builds its kernel manager from ``VoilaConfiguration.multi_kernel_manager_class`` (the
  preheated pool is a subclass Voila derives from it), so every kernel start goes through
  :meth:`CappedKernelManager.start_kernel`: a page's own kernel and each preheated one alike.
- Beyond the cap it raises :class:`ServerFull`, a ``tornado.web.HTTPError`` with status 503.
  Voila's page handler does not catch exceptions from the kernel manager: tornado turns an
  ``HTTPError`` into ``send_error(503)``, and jupyter_server's ``JupyterHandler.write_error``
  renders the template ``503.html``, which Voila looks up in the template's directories (as it
  does its own ``404.html``). Ours is ``templates/backprop/503.html``. Nothing of the page has
  been sent by then: the kernel is the first thing Voila waits for.

What the route cannot do: set a ``Retry-After`` header. ``send_error`` clears the headers before
``write_error`` renders the page, and neither takes headers from the exception; the page itself
reloads after :data:`RETRY_AFTER_S` instead (``<meta http-equiv="refresh">``).

Voila refills its pool of preheated kernels after each visitor takes one; past the cap the
refill is refused and stays in Voila's pool as a failed start. Voila hands that to the next
visitor, who gets the "full" page, and its idle-kernel culler drops such entries every
``cull_interval``. Until then a visitor can get the "full" page although a kernel has been freed
meanwhile; the page tries again by itself. ``serve --class`` checks every 10 s for that reason.
If every entry of the pool was refused, the pool ends up empty and Voila does not refill it:
later pages start their kernel on demand (a few seconds slower), still within the cap.
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.web import HTTPError
from traitlets import Integer

RETRY_AFTER_S = 30  # the "full" page reloads itself after this many seconds


class ServerFull(HTTPError):
    """No kernel for this page: the server already runs ``max_kernels`` of them (HTTP 503)."""

    def __init__(self, max_kernels: int, retry_after: int = RETRY_AFTER_S) -> None:
        super().__init__(503, "%d kernels running, the cap", max_kernels, reason="Class server full")
        self.max_kernels = max_kernels
        self.retry_after = retry_after  # read by templates/backprop/503.html


class CappedKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager that refuses to start more than ``max_kernels`` kernels.

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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kernels_starting = 0  # kernels being started: not in list_kernel_ids() until they are up

    def committed(self) -> int:
        """Kernels alive or being started."""
        return len(self) + self.kernels_starting

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs) -> str:
        if kernel_id is None or kernel_id not in self:  # a new kernel, not a known one
            if self.max_kernels and self.committed() >= self.max_kernels:
                self.log.warning(
                    "Refusing to start a kernel: %d alive or starting, the cap (max_kernels) is %d",
                    self.committed(),
                    self.max_kernels,
                )
                raise ServerFull(self.max_kernels, self.retry_after)
        self.kernels_starting += 1
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self.kernels_starting -= 1
