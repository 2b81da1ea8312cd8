"""The ``_xsrf`` cookie for Voila pages, so that closing a page frees its kernel.

On ``beforeunload`` a Voila page posts ``/voila/api/shutdown/<kernel id>`` with an ``_xsrf``
form field read from the ``_xsrf`` cookie. jupyter_server checks that field against the cookie
for every POST (``JupyterHandler.prepare`` → ``check_xsrf_cookie``), but nothing in Voila ever
sets the cookie: tornado sets it only when a handler reads ``xsrf_token``, which jupyter_server
does while rendering its own templates (``template_namespace``), and Voila renders its pages
with nbconvert instead. So the POST is refused with 403 "'_xsrf' argument missing" and the kernel
lives on (voila-dashboards/voila#1458).

The identity provider runs for every request, preheated pages included, so it is the place to
hand out the cookie, as JupyterHub's single-user server does: on page loads (navigations) only.
The XSRF check itself is untouched.
"""

from __future__ import annotations

from jupyter_core.utils import ensure_async
from jupyter_server.auth import PasswordIdentityProvider, User
from tornado.web import RequestHandler

from .links import accept_long_addresses, refuse_long_link


class XsrfCookieIdentityProvider(PasswordIdentityProvider):
    """jupyter_server's default identity provider, plus the ``_xsrf`` cookie on page loads,
    and a page of ours for a link too long for any page (:mod:`.links`).

    Use with ``--Voila.identity_provider_class`` (standalone Voila) or
    ``ServerApp.identity_provider_class`` (Voila as a jupyter_server extension).
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        accept_long_addresses()  # a long link reaches get_user and gets a page (links.py)

    async def get_user(self, handler: RequestHandler) -> User | None:
        user = await ensure_async(super().get_user(handler))
        # read by tornado's xsrf_token and by an error page's template; JupyterHandler.prepare
        # sets it to this same user right after us
        handler.current_user = user
        refuse_long_link(handler)  # no kernel for a link longer than any page's (links.py)
        if user is not None and is_page_load(handler):
            # tornado's xsrf_token sets the cookie when the request brought none
            handler.xsrf_token  # noqa: B018 (read for its side effect)
        return user


def is_page_load(handler: RequestHandler) -> bool:
    """A GET the browser makes to show a page, not a script, a fetch or a websocket.

    Browsers send ``Sec-Fetch-Mode: navigate`` for those; without the header (old browsers,
    plain HTTP clients) a GET is taken to be one.
    """
    request = handler.request
    return request.method == "GET" and request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
