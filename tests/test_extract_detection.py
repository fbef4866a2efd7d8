"""Each seed is recognised by exactly its own layout, and an unknown layout is refused by name."""
from pathlib import Path

import pytest

from scoring import InputError
from scoring.extract import LAYOUTS, _load_layouts, extract, load_document

SEEDS = Path(__file__).parent / "seeds"
EXPECTED = {"000": "cell-items", "001": "period-columns", "002": "pdf-text", "003": "mid-long-term",
            "004": "cell-per-line"}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_only_its_own_layout_recognises_a_seed(seed):
    _load_layouts()
    document = load_document(next(SEEDS.glob(f"{seed}_*.txt")))
    sure = {name for name, lay in LAYOUTS.items() if lay.detect(document) > 0.5}
    assert sure == {EXPECTED[seed]}
    assert all(lay.detect(document) == 0 for name, lay in LAYOUTS.items() if name != EXPECTED[seed])


def test_layout_can_be_forced_and_unknown_ones_are_refused():
    seed = next(SEEDS.glob("004_*.txt"))
    assert extract(seed, "cell-per-line").layout == "cell-per-line"
    with pytest.raises(InputError, match="no layout 'word' \\(known: cell-items, cell-per-line"):
        extract(seed, "word")


def test_a_document_no_layout_reads_is_refused(tmp_path):
    prose = tmp_path / "notes.txt"
    prose.write_text("这是一份工作总结，没有绩效目标表。\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the layout of this goal table; give --layout"):
        extract(prose)
