"""The projector view (a lesson's ``projector=1``) and the diagram's scale on a wide page: CSS.

**Type size on a projector.** A projector shows the whole page on the screen, so what decides
whether the back row can read a letter is its height as a share of the image height H, not its
size in px. The projector view lays the page out for a 1280 × 720 window, with text at
:data:`TEXT_PX` = 18 px (the step panel :data:`PANEL_PX` = 20 px), and scales the whole dashboard to
the window (CSS ``zoom``, :data:`ZOOM`): text is 1/40 of the image height at every resolution —
18 px at 1280×720, 19.2 px at 1366×768, 27 px at 1920×1080 — and the diagram's numbers at least
1/48 (:data:`PROJECTOR_LABEL_RATIO` of the text).

Why 1/40: the x-height of the page's sans-serif fonts (DejaVu Sans, Liberation Sans, Arial) is
about 0.53 em, so 1/40 of H gives letters an x-height of H/75. A rule of thumb for seating (the
AV trade's "4-6-8" rule) puts the farthest viewer who must read detail at most 4 image heights
from the screen. From there an x-height of H/75 subtends 11.4 arc-minutes, more than twice the 5′
of a 20/20 Snellen letter, which normal sight reads without effort (the diagram's numbers: 9.7′;
from 6 H, a larger lecture hall, 7.6′ and 6.4′: still legible, no longer effortless). Larger type
would not leave room for the diagram and the current step together on a 720-line screen.

**The layout in the projector view** (from a 1000 px wide dashboard, in the zoomed px): the header,
then the diagram beside the step panel, both inside the first screen; the parameters and the
tabs below them.

**The diagram on a wide page.** The diagram is an SVG drawn at a fixed size (``draw.layout``'s
``WIDTH`` × ``HEIGHT`` px) and scaled to its column; on a wide page its numbers would grow with
it (22 px beside 13 px controls at 1920 px). Its width is capped so that they stay within
:data:`MAX_LABEL_RATIO` of the controls' text (:data:`CONTROLS_PX`).
"""

from __future__ import annotations

from ..draw.layout import WIDTH
from ..draw.text import LABEL_PX

CONTROLS_PX = 13  #: the controls' text in the normal view (style.py)
MAX_LABEL_RATIO = 1.2  #: the diagram's numbers are at most this many times the controls' text

TEXT_PX = 18  #: projector: text in a 1280 × 720 layout, 1/40 of its height (see above)
PANEL_PX = 20  #: projector: the step panel and its title
DESIGN = (1280, 720)  #: projector: the window the layout is made for, zoomed to the real one
#: projector: the diagram's figure (figure px), wider than the normal 560 × 500 (a landscape screen)
FIGURE = (WIDTH, 360)
DIAGRAM_MAX_HEIGHT = 500  #: projector: the diagram's height in the design window (px)
#: projector: the diagram's numbers are at least this share of the text (DIAGRAM_MAX_HEIGHT / the
#: figure's height × LABEL_PX / TEXT_PX, when the diagram's column is wide enough)
PROJECTOR_LABEL_RATIO = DIAGRAM_MAX_HEIGHT / FIGURE[1] * LABEL_PX / TEXT_PX

#: CSS ``zoom`` of the projector view: the design window scaled to fit the real one (both ways),
#: with steps for browsers without typed ``calc`` division (where the page is taller than wide)
ZOOM = f"min(calc(100vh / {DESIGN[1]}px), calc(100vw / {DESIGN[0]}px))"
_STEPS = "".join(
    f"@media (min-height: {round(DESIGN[1] * z)}px) and (min-width: {round(DESIGN[0] * z)}px) "
    f"{{ .bpw-dashboard.bpw-projector {{ zoom: {z}; }} }}\n"
    for z in (768 / 720, 1.25, 1.5, 2.0)
)

_DIAGRAM_MAX_WIDTH = round(WIDTH * CONTROLS_PX * MAX_LABEL_RATIO / LABEL_PX)
_PROJECTOR_DIAGRAM_WIDTH = round(DIAGRAM_MAX_HEIGHT * FIGURE[0] / FIGURE[1])

SCALE_CSS = f"""
/* the diagram's numbers at most {MAX_LABEL_RATIO}× the controls' {CONTROLS_PX} px (app/projector.py) */
.bpw-dashboard .bpw-diagram svg, .bpw-dashboard .bpw-diagram img {{ max-width: {_DIAGRAM_MAX_WIDTH}px;
  margin-left: auto; margin-right: auto; }}
/* a label is as wide as its text: never cut to "Net…" */
.bpw-dashboard .widget-inline-hbox > .widget-label {{ min-width: max-content; }}
/* a clicked node's numbers: the line's room is kept, so nothing below moves when it appears */
.bpw-dashboard .bpw-node-info {{ min-height: 1.5em; margin-top: 2px; margin-bottom: 2px; }}
.bpw-dashboard .bpw-node-info .widget-html-content {{ line-height: 1.5em; }}
"""

PROJECTOR_CSS = f"""
/* a lesson on a projector: text 1/40 of the image height (app/projector.py says why) */
.bpw-dashboard.bpw-projector {{ zoom: 1; }}
{_STEPS}@supports (zoom: {ZOOM}) {{ .bpw-dashboard.bpw-projector {{ zoom: {ZOOM}; }} }}
.bpw-dashboard.bpw-projector, .bpw-projector .widget-label, .bpw-projector .widget-button,
.bpw-projector .widget-toggle-button, .bpw-projector .widget-dropdown select,
.bpw-projector input {{ font-size: {TEXT_PX}px; }}
.bpw-projector .bpw-panel, .bpw-projector .bpw-step-title, .bpw-projector .bpw-practice,
.bpw-projector .bpw-practice .widget-html-content,
.bpw-projector .bpw-practice .widget-htmlmath-content {{ font-size: {PANEL_PX}px; }}
.bpw-projector .widget-button, .bpw-projector .widget-toggle-button {{ min-width: max-content; height: auto; }}
@container bpw (min-width: 1000px) {{
  .bpw-dashboard.bpw-projector .bpw-main {{ flex-wrap: wrap; }}
  .bpw-dashboard.bpw-projector .bpw-col-params {{ order: 3; flex: 1 1 100%; max-height: 400px; }}
  .bpw-dashboard.bpw-projector .bpw-col-diagram {{ flex: 1 1 500px; }}
  .bpw-dashboard.bpw-projector .bpw-col-panel {{ flex: 0 0 460px; }}
  .bpw-dashboard.bpw-projector .bpw-diagram svg,
  .bpw-dashboard.bpw-projector .bpw-diagram img {{ max-width: {_PROJECTOR_DIAGRAM_WIDTH}px; }}
  .bpw-dashboard.bpw-projector .bpw-panel {{ height: 470px; }}
}}
"""
