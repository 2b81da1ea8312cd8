"""The ``backprop-widgets`` command: serve, export, exercise."""
