"""The dashboard's CSS: one responsive screen, from a 900 px window to a 2560 px one.

The dashboard is a CSS container, so the layout follows the width the dashboard really gets (a
Voila page, or a JupyterLab output area beside an open file browser), not the window's:

- from 1200 px: parameters | diagram | step panel, side by side; the diagram takes what is left,
  so above 1366 px it grows;
- below 1200 px: the step panel goes under the parameters and the diagram;
- below 700 px: one column.

The step panel has a fixed height, so that nothing below it moves when you step.
"""

from __future__ import annotations

from ..explain.flow import CSS as FLOW_CSS
from .projector import PROJECTOR_CSS, SCALE_CSS

CSS = (
    """
.bpw-dashboard { container: bpw / inline-size; width: auto; max-width: 100%; box-sizing: border-box; font-size: 13px; }
.bpw-dashboard .widget-label, .bpw-dashboard .widget-label-basic { font-size: 13px; }
.bpw-dashboard .bpw-main { display: flex; flex-flow: row wrap; align-items: flex-start; gap: 8px;
  width: 100%; }
.bpw-dashboard .bpw-col-params { flex: 0 0 300px; max-height: 560px; overflow-y: auto; overflow-x: hidden; }
.bpw-dashboard .bpw-col-diagram { flex: 1 1 360px; min-width: 0; }
.bpw-dashboard .bpw-col-panel { flex: 0 1 440px; min-width: 0; }
.bpw-dashboard .bpw-col-panel > *, .bpw-dashboard .bpw-col-diagram > * { min-width: 0; max-width: 100%; }
@container bpw (min-width: 1700px) { .bpw-dashboard .bpw-col-panel { flex-basis: 600px; } }
@container bpw (max-width: 1199px) {
  .bpw-dashboard .bpw-col-panel { flex: 1 1 100%; }
  /* stacked: keep the step buttons under the diagram on screen */
  .bpw-dashboard .bpw-diagram svg, .bpw-dashboard .bpw-diagram img { max-height: 60vh; }
}
@container bpw (max-width: 700px) {
  .bpw-dashboard .bpw-col-params { flex: 1 1 100%; max-height: 320px; }
}
.bpw-dashboard .bpw-header > * { flex-wrap: wrap; }
.bpw-dashboard .bpw-header .widget-button { width: auto; min-width: 0; }
.bpw-panel { margin: 2px 0; width: auto; min-width: 0; max-width: 100%; box-sizing: border-box; }
.bpw-panel .widget-html-content { width: 100%; min-width: 0; box-sizing: border-box; line-height: normal; }
.bpw-panel .widget-html-content, .bpw-quantities .widget-html-content,
.bpw-notation .widget-html-content { white-space: normal; overflow-wrap: break-word; }
.bpw-notation math { font-size: 1.25em; }  /* as the panel's: MathJax's size, the text's x-height */
.bpw-panel { height: clamp(320px, calc(100vh - 300px), 760px); overflow-y: auto; overflow-x: hidden;
  border-left: 3px solid #B2182B; padding-left: 8px; }
.bpw-panel h4 { display: none; }  /* the step title above the panel already says it */
/* "more below": a fade and a label on the panel's bottom edge while there is more to scroll to.
   A scroll-driven animation shows it: a panel that fits has no scroll timeline (nothing shows),
   and in the last 2 px of the scroll the animation is over (the cue goes). Elsewhere a shadow
   at the bottom edge that the end of the content covers says the same. */
.bpw-panel .bpw-more { position: sticky; bottom: 0; height: 0; pointer-events: none; opacity: 0; }
.bpw-panel .bpw-more > span { position: absolute; left: -8px; right: 0; bottom: 0; height: 2.6em;
  display: flex; align-items: flex-end; justify-content: center; padding-bottom: 2px; font-size: 12px;
  color: #333; background: linear-gradient(rgba(255, 255, 255, 0), #fff 65%); }
@keyframes bpw-more { from, to { opacity: 1; } }
@supports (animation-timeline: scroll()) {
  .bpw-panel .bpw-more { animation: bpw-more linear backwards; animation-timeline: scroll(nearest block);
    animation-range: 0 calc(100% - 2px); }
}
@supports not (animation-timeline: scroll()) {
  .bpw-panel { background: linear-gradient(rgba(255, 255, 255, 0), #fff 70%) 0 100% / 100% 40px no-repeat local,
    radial-gradient(farthest-side at 50% 100%, rgba(0, 0, 0, 0.25), transparent) 0 100% / 100% 14px no-repeat scroll; }
}
.bpw-error .bpw-msg, .bpw-arch-error .bpw-msg { color: #b00020; font-size: 12px; }
.bpw-error.bpw-quiet { display: none !important; }
.bpw-arch-error .bpw-note { color: #333; font-size: 12px; }
.bpw-download a { display: inline-block; padding: 4px 12px; border: 1px solid #005A9C; border-radius: 3px;
  color: #fff; background: #005A9C; text-decoration: none; font-weight: bold; }
.bpw-download a:hover, .bpw-download a:focus { background: #00457a; text-decoration: underline; }
.bpw-render-error { color: #b00020; }
.bpw-diagram svg, .bpw-diagram img { display: block; width: 100%; height: auto; }
.bpw-dashboard .jupyter-widget-Collapse-header, .bpw-dashboard .lm-TabBar-tab,
.bpw-dashboard .lm-TabBar-tabLabel { color: #333 !important; }  /* contrast ≥ 4.5 (axe) */
.bpw-step-title { font-weight: bold; }
.bpw-header { border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-bottom: 4px; }
.bpw-table table { border-collapse: collapse; }
.bpw-table td, .bpw-table th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: right; }
.bpw-pass { color: #277D5E; font-weight: bold; }  /* the text shades (palette.py): ≥ 4.5:1 */
.bpw-fail { color: #b00020; font-weight: bold; }
.bpw-kink { color: #a45f00; font-weight: bold; }
.bpw-share-msg .bpw-msg { color: #b00020; font-size: 12px; }
.bpw-share-msg .bpw-note { color: #333; font-size: 12px; }
.bpw-share-json a { display: inline-block; padding: 4px 12px; border: 1px solid #005A9C; border-radius: 3px;
  color: #005A9C; text-decoration: none; }
/* a value a lesson locked: greyed, with a padlock after its name (the Font Awesome glyph the
   widgets' icons use, served with the page; an emoji may have no font offline) */
.bpw-locked .widget-label::after { content: "\\f023"; font-family: "Font Awesome 5 Free", FontAwesome;
  font-weight: 900; font-size: 10px; margin-left: 3px; color: #555; }
.bpw-locked .bpw-text input { background: #eee; color: #333; }
"""
    + SCALE_CSS
    + PROJECTOR_CSS
    + FLOW_CSS
)

#: the ``<style>`` element the dashboard shows first (an HTML widget)
STYLE = f"<style>{CSS}</style>"
