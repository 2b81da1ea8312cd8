"""The (hidden, output, loss) combinations the core accepts: one test helper for every suite that
walks them (the core's own refusal is the oracle, so a new registry entry is walked at once)."""

from backprop_widgets import Network


def allowed(hidden: str, out: str, loss: str) -> bool:
    """Whether the core builds a network with these functions (softmax needs 2 outputs: [2,2,2])."""
    try:
        Network.random([2, 2, 2], 0, hidden, out, loss)
    except ValueError:
        return False
    return True
