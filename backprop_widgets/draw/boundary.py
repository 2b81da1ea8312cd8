"""The decision boundary: the network's output over the input plane, with the data on top.

One matplotlib figure per set of points (:meth:`BoundaryPicture.set_points`): the output on a
:data:`GRID` × :data:`GRID` grid is an image (``imshow``); the points are dots coloured by their
target with the image's colour map, white-rimmed for training and black-rimmed for testing (a 0.5
contour would cost a redraw, so the image's colours carry the boundary). During training only the image
changes: :meth:`update` computes the grid's outputs (one forward pass of 10,000 rows) and
``set_data``-s them, and :meth:`render` restores the Agg pixels of the axes (drawn once) and
draws the image and the points over them, then encodes a JPEG, instead of drawing
a new figure (``benchmarks/bench_boundary.py`` compares the two).
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..core import Network, outputs

#: the grid's points per side
GRID = 100
#: the colour map of one output (blue 0 → white → orange 1, as Playground's) and of classes
CMAP, CLASS_CMAP = "PuOr_r", "tab10"


def plane_limits(*arrays: np.ndarray, pad: float = 0.1) -> tuple[float, float, float, float]:
    """x₁ and x₂ limits that hold every point, padded, as a square ([−1.1, 1.1]² at least)."""
    pts = np.concatenate([a for a in arrays if len(a)] or [np.zeros((1, 2))])
    r = max(1.0, float(np.abs(pts).max())) * (1 + pad)
    return -r, r, -r, r


def output_range(Y: np.ndarray) -> tuple[float, float]:
    """The image's colour limits: the targets' range, widened to hold 0..1 (0 and 1: two classes)."""
    lo, hi = (float(Y.min()), float(Y.max())) if Y.size else (0.0, 1.0)
    return min(lo, 0.0), max(hi, 1.0)


class BoundaryPicture:
    """``set_points`` once per dataset, ``update(net)`` each frame, ``render()`` → JPEG bytes."""

    def __init__(self, size: float = 3.6, dpi: int = 90):
        self.figure = Figure(figsize=(size, size), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_axes((0.16, 0.13, 0.8, 0.8))
        self.ax.set_xlabel("x₁")
        self.ax.set_ylabel("x₂")
        self.image = self.ax.imshow(
            np.zeros((GRID, GRID)), origin="lower", cmap=CMAP, vmin=0, vmax=1, interpolation="bilinear", animated=True
        )
        # a rim that shows on either class's colour: white for training points, black for test points
        self.train_dots = self.ax.scatter([], [], s=16, edgecolors="white", linewidths=0.7, animated=True)
        self.test_dots = self.ax.scatter([], [], s=20, edgecolors="black", linewidths=1.0, animated=True)
        self.grid = np.zeros((GRID * GRID, 2))
        self.values = np.zeros((GRID, GRID))  # what the image shows: the output, or the class
        self._background = None
        self.set_points(np.zeros((0, 2)), np.zeros((0, 1)), np.zeros((0, 2)), np.zeros((0, 1)))

    def set_points(self, X_train, Y_train, X_test, Y_test) -> None:
        """A new dataset: its points, the plane that holds them, the colour scale."""
        x0, x1, y0, y1 = plane_limits(X_train, X_test)
        g1, g2 = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
        self.grid = np.column_stack([g1.ravel(), g2.ravel()])  # row r·GRID + c is pixel (r, c)
        self.image.set_extent((x0, x1, y0, y1))
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, y1)
        self.classes = Y_train.shape[1] if Y_train.ndim == 2 and Y_train.shape[1] > 1 else 0
        if self.classes:  # one-hot: the class is the largest output
            self.image.set_cmap(CLASS_CMAP)
            self.image.set_clim(0, 9)
            colour = [np.argmax(Y, axis=1) if len(Y) else np.zeros(0) for Y in (Y_train, Y_test)]
            lo, hi = 0.0, 9.0
        else:
            self.image.set_cmap(CMAP)
            lo, hi = output_range(np.concatenate([Y_train.ravel(), Y_test.ravel()]))
            self.image.set_clim(lo, hi)
            colour = [Y.ravel() for Y in (Y_train, Y_test)]
        cmap = self.image.get_cmap()
        norm = self.image.norm
        self.train_dots.set_offsets(X_train if len(X_train) else np.zeros((0, 2)))
        self.train_dots.set_facecolors(cmap(norm(colour[0])))
        self.test_dots.set_offsets(X_test if len(X_test) else np.zeros((0, 2)))
        self.test_dots.set_facecolors(cmap(norm(colour[1])))
        self.limits = (lo, hi)
        self._background = None

    def update(self, net: Network) -> np.ndarray:
        """The network's output over the grid into the image (``set_data``); returns it."""
        out = outputs(net, self.grid)
        column = np.argmax(out, axis=1) if self.classes else out[:, 0]
        self.values = column.reshape(GRID, GRID).astype(float)
        self.image.set_data(self.values)
        return self.values

    def render(self) -> bytes:
        """JPEG bytes: the axes' pixels (drawn once per dataset), then the image and the points."""
        if self._background is None:
            self.canvas.draw()  # the animated artists are left out
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.canvas.restore_region(self._background)
        for artist in (self.image, self.train_dots, self.test_dots):
            self.ax.draw_artist(artist)
        return jpeg_bytes(np.asarray(self.canvas.buffer_rgba()))


def jpeg_bytes(rgba: np.ndarray, quality: int = 90) -> bytes:
    """An ``(h, w, 4)`` uint8 image as JPEG: a quarter of PNG's encoding time (~5 ms against
    ~15 ms for this picture), and a smooth picture loses nothing a student would see."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[:, :, :3])).save(buf, format="jpeg", quality=quality)
    return buf.getvalue()


def naive_boundary_png(net: Network, X_train, Y_train, X_test, Y_test) -> bytes:
    """The same picture drawn from scratch: a new figure, ``imshow``, ``scatter``, ``savefig``
    (the baseline of ``benchmarks/bench_boundary.py``)."""
    x0, x1, y0, y1 = plane_limits(X_train, X_test)
    g1, g2 = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    values = outputs(net, grid)[:, 0].reshape(GRID, GRID)  # the same maths: only the drawing differs
    fig = Figure(figsize=(3.6, 3.6), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.14, 0.12, 0.82, 0.82))
    ax.imshow(values, origin="lower", cmap=CMAP, vmin=0, vmax=1, extent=(x0, x1, y0, y1))
    ax.scatter(X_train[:, 0], X_train[:, 1], c=Y_train.ravel(), cmap=CMAP, vmin=0, vmax=1, s=14)
    ax.scatter(X_test[:, 0], X_test[:, 1], facecolors="none", edgecolors="k", s=18)
    buf = io.BytesIO()
    fig.savefig(buf, format="jpeg", pil_kwargs={"quality": 90})
    return buf.getvalue()
