"""A link longer than any page of the app gets a page of ours, not a reset connection.

tornado reads at most 64 kB of request line and headers (``HTTPServer``'s ``max_header_size``);
past that it closes the connection without an answer, and the browser shows its own
ERR_CONNECTION_RESET page. Neither Voila nor jupyter_server lets that limit be configured, but
tornado's ``HTTPServer`` is a ``Configurable``: :func:`accept_long_addresses` sets a default for
every server the process makes, up to the longest address chromium sends (2 MiB).

The request then reaches the server's identity provider, which runs first for every request,
and :func:`refuse_long_link` answers a query longer than :data:`~backprop_widgets.core.MAX_QUERY`
(longer than the link of any network the page takes) with HTTP 414 and
``templates/backprop/414.html``: "This link is too long", with a link to the app. No kernel
starts for it: a kernel gets its page's query in its environment, where Linux takes at most
128 kB a variable. Both are wired into :class:`~backprop_widgets.voila.XsrfCookieIdentityProvider`,
so ``serve``, the tests' Voila and the Binder route have them.
"""

from __future__ import annotations

from tornado.httpserver import HTTPServer
from tornado.web import HTTPError, RequestHandler

from ..core import MAX_QUERY

#: the longest address chromium sends (its ``kMaxURLChars``, 2 MiB), and room for headers
MAX_HEADER_BYTES = 2 * 1024 * 1024 + 64 * 1024


def accept_long_addresses() -> None:
    """Every tornado ``HTTPServer`` made from now on reads request headers up to
    :data:`MAX_HEADER_BYTES` (instead of 64 kB), so that a long link gets an answer."""
    HTTPServer.configure(None, max_header_size=MAX_HEADER_BYTES)


class LinkTooLong(HTTPError):
    """A query longer than any page of the app needs (HTTP 414, ``templates/backprop/414.html``)."""

    def __init__(self, length: int) -> None:
        super().__init__(414, "a link of %d characters, more than %d", length, MAX_QUERY, reason="Link too long")
        self.length = length  # read by templates/backprop/414.html
        self.max_length = MAX_QUERY


def refuse_long_link(handler: RequestHandler) -> None:
    """Raise :class:`LinkTooLong` for a request whose query is longer than ``MAX_QUERY``."""
    query = handler.request.query
    if len(query) > MAX_QUERY:
        raise LinkTooLong(len(query))
