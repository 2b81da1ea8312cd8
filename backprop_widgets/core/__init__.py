"""The numpy core: the network and its trace, the function registries with their LaTeX forms,
parameters and sizes, gradient checks, paths, the seed example, the page state as a link.

Its modules, one job each: :mod:`.floats` (array types, unit roundoff), :mod:`.numfmt` (numbers
as the page prints them), :mod:`.params` (names as the notation writes them), the registries
:mod:`.activations`, :mod:`.losses` and :mod:`.bp1`, :mod:`.validation` (checks on inputs),
:mod:`.trace`, :mod:`.network` (forward pass, BP1–BP4), :mod:`.differences` (centred
differences), :mod:`.gradcheck` (the verdict), :mod:`.paths`, :mod:`.example` (the seed page),
and the page state: :mod:`.snapshot`, :mod:`.fields`, :mod:`.share` (link and JSON).

Imports numpy only: no widgets, no drawing (import-linter checks it). The other layers import
from this package, not from its modules, so the core can rearrange its modules freely.
"""

from .activations import (  # noqa: F401
    ACTIVATIONS,
    DEFAULT_ACTIVATION,
    HIDDEN_ACTIVATIONS,
    NOTHING_WRITTEN,
    Activation,
    Applied,
    Written,
    applied_as,
    elementwise,
    hidden_activations,
    rounding_of,
    sum_of_others,
)
from .batch import BatchTrace, batch_trace, mean_loss  # noqa: F401
from .bp1 import A_MINUS_Y, BP1_FORMS, HADAMARD, Bp1Form, Output, bp1_form  # noqa: F401
from .csvfile import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, read_csv  # noqa: F401
from .datachoice import DataChoice, check_choice, outputs  # noqa: F401
from .datasets import DATASETS, MAX_CLASSES, MAX_SAMPLES, Dataset, Split, one_hot  # noqa: F401
from .datasets import NAMES as DATASET_NAMES  # noqa: F401
from .datasets import make as make_dataset  # noqa: F401
from .datasets import split as split_dataset  # noqa: F401
from .differences import (  # noqa: F401
    EPS,
    losses_from,
    numerical_gradient,
    numerical_gradient_of,
    perturbed_losses,
)
from .example import default_sample, seed_example  # noqa: F401
from .fields import (  # noqa: F401
    FIELDS,
    MAX_PARAMS,
    check_locks,
    from_fields,
    lock_names,
    number_text,
    read_number,
    read_numbers,
    to_fields,
)
from .floats import UNIT_ROUNDOFF, Array, FloatOrArray, readonly  # noqa: F401
from .gradcheck import (  # noqa: F401
    CHECK_THRESHOLD,
    UNDERFLOW,
    VERDICTS,
    GradientCheck,
    Kink,
    Verdict,
    centred_difference_error,
    check_gradient,
    kink_within_reach,
    loss_rounding_error,
    relative_error,
)
from .losses import DEFAULT_LOSS, LOSSES, Asked, Formula, GradMistake, Loss, log_terms, residual  # noqa: F401
from .network import ZERO_RTOL, Network  # noqa: F401
from .numfmt import (  # noqa: F401
    LARGE,
    SMALL,
    SUBSCRIPT,
    SUPERSCRIPT,
    ZERO,
    exponent,
    fixed,
    fmt,
    fmt_all,
    paren,
    power_of_ten,
    sci,
    shifted,
    sig,
    signed_terms,
)
from .params import Param, check_sizes, parse_sample_name, parse_sizes, sub, sup  # noqa: F401
from .paths import (  # noqa: F401
    Path,
    PathSum,
    node_factors,
    path_sum,
)
from .share import MAX_JSON, MAX_QUERY, read_json, read_query, write_json, write_query  # noqa: F401
from .snapshot import EDGE_MODES, MODES, VERSION, EdgeMode, Lesson, Mode, Snapshot, flat, to_dict  # noqa: F401
from .trace import Trace  # noqa: F401
from .train import TrainRun, TrainStep, train  # noqa: F401
from .train import steps as training_steps  # noqa: F401
from .units import SATURATION, UnitMarks, check_threshold, unit_marks  # noqa: F401
from .validation import (  # noqa: F401
    as_float_array,
    check_eps,
    check_finite,
    check_parameters,
    finite_vector,
)
