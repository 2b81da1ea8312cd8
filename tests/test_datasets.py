"""Datasets: each is the shape its sentence says, reproducible from its seed, with the noise it is
asked for; a split keeps every sample once; a CSV file is read by parsing, and a bad one gets a
message naming its line and column."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_widgets import Network, datasets
from backprop_widgets.core import DATASETS, Dataset


@pytest.mark.parametrize("name", datasets.NAMES)
def test_each_dataset_is_reproducible_from_its_seed(name):
    X, Y = datasets.make(name, n=150, noise=0.1, seed=4)
    X2, Y2 = datasets.make(name, n=150, noise=0.1, seed=4)
    X3, _ = datasets.make(name, n=150, noise=0.1, seed=5)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2) and not np.array_equal(X, X3)
    assert not X.flags.writeable and not Y.flags.writeable


@pytest.mark.parametrize("name", datasets.NAMES)
def test_noise_is_gaussian_of_that_standard_deviation_on_the_same_points(name):
    """The same seed without noise gives the same points and classes in the same order: the
    difference is the noise alone, of standard deviation 0.1 (n = 4000 coordinates: ±3%)."""
    clean, Y = datasets.make(name, n=2000, noise=0.0, seed=1)
    noisy, Y2 = datasets.make(name, n=2000, noise=0.1, seed=1)
    assert np.array_equal(Y, Y2)
    d = noisy - clean
    assert abs(d.std() - 0.1) < 0.003 and abs(d.mean()) < 0.005


@pytest.mark.parametrize(
    "name,k", [("xor", 2), ("circles", 2), ("moons", 2), ("spiral", 3), ("blobs", 3), ("linear", 2)]
)
def test_shapes_and_classes(name, k):
    X, Y = datasets.make(name, n=200)
    assert X.shape == (200, 2) and Y.shape == ((200, 1) if k == 2 else (200, k))
    assert set(np.unique(Y)) <= {0.0, 1.0}
    if k > 2:  # one-hot rows, the classes as even as n allows
        assert np.all(Y.sum(axis=1) == 1) and Y.sum(axis=0).tolist() == [67, 67, 66]
    assert datasets.DATASETS[name].k == k


def polar(X):
    return np.hypot(X[:, 0], X[:, 1]), np.arctan2(X[:, 1], X[:, 0])


def test_without_noise_each_dataset_is_what_its_rule_says():
    X, Y = datasets.make("xor", n=500, noise=0)
    assert np.array_equal(Y[:, 0] == 1, X[:, 0] * X[:, 1] > 0) and np.abs(X).max() <= 1
    X, Y = datasets.make("linear", n=500, noise=0)
    assert np.array_equal(Y[:, 0] == 1, X[:, 0] + X[:, 1] > 0)
    X, Y = datasets.make("circles", n=500, noise=0)
    r, _ = polar(X)
    assert r[Y[:, 0] == 1].max() <= 0.5 and 0.7 <= r[Y[:, 0] == 0].min() and r.max() <= 1
    assert Y.sum() == 250
    X, Y = datasets.make("moons", n=500, noise=0)
    upper, lower = X[Y[:, 0] == 0], X[Y[:, 0] == 1]  # unit half circles about (−½, −¼) and (½, ¼)
    np.testing.assert_allclose(np.hypot(upper[:, 0] + 0.5, upper[:, 1] + 0.25), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 0.5, lower[:, 1] - 0.25), 1.0, rtol=1e-12)
    assert upper[:, 1].min() >= -0.25 - 1e-12 and lower[:, 1].max() <= 0.25 + 1e-12
    X, Y = datasets.make("spiral", n=600, noise=0, k=4)
    r, theta = polar(X)
    turn = np.mod(theta - 2 * np.pi * Y.argmax(axis=1) / 4 - 1.75 * np.pi * r + np.pi, 2 * np.pi) - np.pi
    assert Y.shape == (600, 4) and np.abs(turn).max() < 1e-9 and 0.05 <= r.min() and r.max() <= 1
    X, Y = datasets.make("blobs", n=3000, noise=0)
    means = np.array([X[Y[:, j] == 1].mean(axis=0) for j in range(3)])
    centres = 0.6 * np.array([[0, 1], [-np.sqrt(3) / 2, -0.5], [np.sqrt(3) / 2, -0.5]])
    np.testing.assert_allclose(means, centres, atol=0.02)  # spread 0.2, 1000 points each: ±0.006


def test_two_classes_of_a_many_class_dataset_are_one_column():
    X, Y = datasets.make("blobs", n=10, k=2)
    assert Y.shape == (10, 1) and Y.sum() == 5


@pytest.mark.parametrize(
    "args,kwargs,message",
    [
        (("rings",), {}, "unknown dataset 'rings'; choose one of xor, circles, moons, spiral, blobs, linear"),
        (("xor",), {"n": 0}, "n must be a whole number from 1 to 10,000"),
        (("xor",), {"n": 10_001}, "n must be a whole number from 1 to 10,000"),
        (("xor",), {"n": 2.5}, "n must be a whole number"),
        (("xor",), {"noise": -0.1}, "noise must be a number ≥ 0"),
        (("xor",), {"noise": float("nan")}, "noise must be a number ≥ 0"),
        (("xor",), {"seed": -1}, "seed must be a whole number"),
        (("xor",), {"k": 3}, "the xor dataset has 2 classes, not 3"),
        (("spiral",), {"k": 17}, "the number of classes k must be a whole number from 2 to 16"),
        (("spiral",), {"k": 1}, "the number of classes k must be a whole number from 2 to 16"),
    ],
)
def test_bad_arguments_are_refused(args, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        datasets.make(*args, **kwargs)


def test_a_new_dataset_is_one_registry_entry(monkeypatch):
    def ring(rng, n, k):
        theta = rng.uniform(0, 2 * np.pi, n)
        return np.column_stack([np.cos(theta), np.sin(theta)]), (theta > np.pi).astype(int)

    monkeypatch.setitem(DATASETS, "ring", Dataset("ring", ring, "ring", "The unit circle; y = 1 below the x axis."))
    X, Y = datasets.make("ring", n=50, noise=0)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), 1.0)
    assert np.array_equal(Y[:, 0] == 1, X[:, 1] < 0)


def test_a_split_keeps_every_sample_once_and_is_reproducible():
    X, Y = datasets.make("moons", n=101)
    X_train, X_test, Y_train, Y_test = datasets.split(X, Y, test=0.2, seed=3)
    assert (len(X_train), len(X_test), len(Y_train), len(Y_test)) == (80, 21, 80, 21)
    rows = np.concatenate([X_train, X_test])
    assert sorted(map(tuple, rows)) == sorted(map(tuple, X))  # each sample once, nothing made up
    pairs = {tuple(x): tuple(y) for x, y in zip(X, Y)}
    assert all(pairs[tuple(x)] == tuple(y) for x, y in zip(X_test, Y_test))  # x keeps its y
    again = datasets.split(X, Y, test=0.2, seed=3)
    assert np.array_equal(again.X_test, X_test) and not np.array_equal(datasets.split(X, Y, seed=4).X_test, X_test)
    assert len(datasets.split(X, Y, test=0.0).X_test) == 0 and len(datasets.split(X[:1], Y[:1], 0.5).X_train) == 1
    for bad, message in ((1.0, "below 1"), (-0.1, "at least 0")):
        with pytest.raises(ValueError, match=message):
            datasets.split(X, Y, test=bad)
    with pytest.raises(ValueError, match="X has 101 samples but Y has 100"):
        datasets.split(X, Y[:100])


def test_a_dataset_trains_a_network_as_the_issue_shows():
    X, Y = datasets.make("spiral", n=60, seed=0)
    net = Network.random([2, 6, 3], 0, "tanh", "softmax", "cross_entropy")
    assert net.batch_trace(X[:10], Y[:10]).grad_W[2].shape == (3, 6)


# --- CSV ---------------------------------------------------------------------------------------


def test_a_csv_file_with_a_header_from_text_bytes_and_path(tmp_path):
    text = "x1,x2,y\n0.5,-1,1\n.25,2e-1,0\n"
    X, Y = datasets.read_csv(text)
    assert X.tolist() == [[0.5, -1.0], [0.25, 0.2]] and Y.tolist() == [[1.0], [0.0]]
    path = tmp_path / "data.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())  # Excel's BOM and line ends
    for source in (path, str(path), path.read_bytes()):
        X2, Y2 = datasets.read_csv(source)
        assert np.array_equal(X2, X) and np.array_equal(Y2, Y)


def test_csv_separators_quotes_blank_lines_comments_and_k():
    X, Y = datasets.read_csv('# made by hand\n\n1;2;0;1\n\n"3";4;1;0\n', k=2)
    assert X.tolist() == [[1.0, 2.0], [3.0, 4.0]] and Y.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert datasets.read_csv("1\t2\t3\n")[1].tolist() == [[3.0]]
    assert datasets.read_csv("1 2  3\n4 5 6")[0].tolist() == [[1.0, 2.0], [4.0, 5.0]]


@pytest.mark.parametrize(
    "source,kwargs,message",
    [
        ("", {}, "the file is empty"),
        (b"", {}, "the file is empty"),
        ("\n  \n# only a comment\n", {}, "the file is empty"),
        ("x1,x2,y\n", {}, "the file has a header but no rows of numbers"),
        ("x1,x2,y\n1,2,3\n4,5\n", {}, "line 3 has 2 columns, but line 2 has 3: every row needs the same columns"),
        ("1,2\n3,abc\n", {}, "line 2, column 2: 'abc' is not a number"),
        ("1,2\n3,nan\n", {}, "line 2, column 2: nan is not a finite number"),
        ("1,2\n3,-inf\n", {}, "line 2, column 2: -inf is not a finite number"),
        ("1,2\n3,1e999\n", {}, "line 2, column 2: 1e999 is too large"),
        ("1,,2\n", {}, "line 1, column 2 is empty"),
        ("1,1_000\n", {}, "line 1, column 2: '1_000' is not a number"),
        ('__import__("os").getcwd(),1\n', {}, "line 1, column 1: '__import__"),
        ("x,y\n", {"header": False}, "line 1, column 1: 'x' is not a number"),
        ("1\n2\n", {}, "line 1 has 1 column: each row needs at least one input and then 1 target column"),
        ("1,2\n", {"k": 2}, "line 1 has 2 columns: each row needs at least one input and then 2 target columns"),
        (",".join(["1"] * 33), {}, "line 1 has 33 columns; at most 32 are read"),
        ("x,y\n" + "1,2\n" * 10_001, {}, "the file has 10,001 rows of data; at most 10,000 are read"),
        (b"x,y\n1,2\n3,\xff4\n", {}, "line 3, column 2: byte 0xff is not UTF-8 text"),
        ("1,2\n", {"k": 0}, "k, the number of target columns"),
        (3.5, {}, "read_csv takes CSV text, its bytes or a path, not float"),
    ],
)
def test_a_bad_csv_file_gets_a_message_naming_where(source, kwargs, message):
    with pytest.raises(ValueError) as e:
        datasets.read_csv(source, **kwargs)
    assert message in str(e.value)


def test_a_10_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"0.123456789,1\n" * 750_000)  # 10.5 MB
    with pytest.raises(ValueError, match="the file is 10.5 MB; at most 2.0 MB is read"):
        datasets.read_csv(path)
    with pytest.raises(ValueError, match="the file is 10.5 MB"):
        datasets.read_csv(path.read_bytes())
    with pytest.raises(ValueError, match="cannot read .*missing.csv.*No such file"):
        datasets.read_csv(tmp_path / "missing.csv")


def test_the_largest_file_it_takes_is_read():
    """10,000 rows of 32 columns, each number 5 characters: 1.9 MB, under the limit."""
    text = "\n".join([",".join(["0.125"] * 32)] * 10_000)
    X, Y = datasets.read_csv(text, k=16)
    assert X.shape == (10_000, 16) and Y.shape == (10_000, 16) and X[-1, -1] == 0.125
