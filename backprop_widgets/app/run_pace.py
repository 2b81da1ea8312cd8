"""How often a costly view follows the network while a Run trains on the dataset.

During a Run the network changes every frame (``dataset_state.FRAME_S``). The diagram, the
header and the Dataset tab's pictures follow every frame. The worked example's steps and the
value rows (a slider and a text field for each of the network's numbers) follow at most every
:data:`RUN_VIEW_S`: they are the page's costliest updates in the kernel and in the browser
(the rows alone took the diagram from 14 to 9 updates a second in chromium,
``benchmarks/bench_dataset_browser.py``). When the run ends they catch up at once, and the
Dataset tab says, while the run goes, that they follow once a second.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .state import State

#: during a Run on the dataset, the steps and the value rows follow at most this often (seconds)
RUN_VIEW_S = 1.0


class RunPace:
    """``waits()`` is true while a view may skip this change of the network; ``follow`` is
    called again when the run ends if a change was skipped. ``only_in`` limits the pacing to
    some modes (the steps of Predict or Fade ask questions: they are not paced)."""

    def __init__(self, state: "State", follow: Callable[[], None], only_in: tuple[str, ...] | None = None):
        self.state, self.follow, self.only_in = state, follow, only_in
        self.followed_at = 0.0  # when the view last followed (perf_counter)
        self.behind = False  # a newer network waits for the view
        state.dataset.observe(lambda _: self._after_the_run(), names="running")

    def waits(self) -> bool:
        s, now = self.state, time.perf_counter()
        paced = s.dataset.running and (self.only_in is None or s.mode in self.only_in)
        self.behind = paced and now - self.followed_at < RUN_VIEW_S
        if not self.behind:
            self.followed_at = now
        return self.behind

    def _after_the_run(self) -> None:
        if self.behind and not self.state.dataset.running:
            self.behind = False
            self.follow()
