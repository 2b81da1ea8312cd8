"""How Voila serves the dashboard: what ``backprop-widgets serve`` and the Binder route configure.

- ``templates/backprop``: Voila's ``lab`` template without its two Font Awesome links to a CDN
  (Voila's own ``voila-style.js`` already brings Font Awesome 5, fonts included). Installed as
  ``share/jupyter/voila/templates/backprop``, where Voila looks for templates.
- :class:`XsrfCookieIdentityProvider`: gives the browser the ``_xsrf`` cookie that Voila's
  kernel-shutdown request needs, so a closed or reloaded page frees its kernel.
- :class:`CappedKernelManager`: at most ``max_kernels`` kernels; past the cap a page request
  gets HTTP 503 and ``templates/backprop/503.html``, "The class server is full — try again".
  It refills Voila's pool of preheated kernels itself, within the cap, so that no refused
  refill sits in the pool (where Voila's shutdown re-raised it at every closing page).
"""

from .capacity import CappedKernelManager, ServerFull
from .xsrf import XsrfCookieIdentityProvider

__all__ = ["CappedKernelManager", "ServerFull", "XsrfCookieIdentityProvider"]
