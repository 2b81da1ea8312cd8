"""``python -m backprop_widgets``: the ``backprop-widgets`` command (:mod:`.cli.main`)."""

import sys

from .cli.main import main

if __name__ == "__main__":
    sys.exit(main())
