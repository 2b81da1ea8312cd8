"""Moving the tables keyed by function names onto the registries (issue 22) changed no page:
the worked examples (every step's title, text and lines), the practice questions (their lines,
answers, tolerances and mistakes) and the sheets and keys of every built-in activation × loss are the
ones main's code wrote before the move, recorded in ``tests/data/registry_outputs.json.gz`` by
``tests/registry_cases.py``."""

import pytest
import registry_cases
from recorded import differences

RECORDED = registry_cases.recorded()
NETS = registry_cases.nets()


def test_the_recording_covers_every_built_in_combination():
    # seed page + 2 nets of each of the 28 allowed (hidden, output, loss) combinations
    assert set(RECORDED["examples"]) == set(NETS) and len(NETS) == 57
    assert len(RECORDED["sheets"]) == len(registry_cases.SHEETS) == 5


@pytest.mark.parametrize("name", sorted(NETS))
def test_worked_example_and_questions_as_recorded(name):
    now = registry_cases.record_one(*NETS[name])
    was = RECORDED["examples"][name]
    # up to the machine's last bit (tests/recorded.py)
    assert differences(now["steps"], was["steps"], "steps") == []
    assert differences(now["questions"], was["questions"], "questions") == []


def test_sheets_and_keys_as_recorded():
    assert differences(registry_cases.record_sheets(), RECORDED["sheets"], "sheets") == []
