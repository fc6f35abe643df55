"""The JSON exporter writes amounts digit for digit."""
from __future__ import annotations

import json
from decimal import Decimal

from conftest import SEEDS
from govconv.cli import main

SEED = SEEDS / "002_4a81d0f783bbd2ce.txt"


def test_a_fractional_amount_keeps_every_decimal(tmp_path, capsysbinary):
    text = SEED.read_text("utf-8")
    assert "\t行政事业性收费\n\t0\n" in text
    path = tmp_path / "fees.txt"
    path.write_text(text.replace("\t行政事业性收费\n\t0\n", "\t行政事业性收费\n\t123456789012.123456\n", 1), "utf-8")
    assert main([str(path)]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert '"amount": 123456789012.123456' in out              # not the nearest float, 123456789012.12346
    data = json.loads(out, parse_float=Decimal)
    assert data["tables"]["active"]["fees"]["amount"] == Decimal("123456789012.123456")
    assert data["tables"]["applications"]["new"]["total"] == 3
