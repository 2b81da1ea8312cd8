"""ipywidgets: the one state, the controls, the dashboard and its tabs."""
