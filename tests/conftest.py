"""Shared test paths: the project's own fixtures and, when present, ../shared beside the project."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_a7f0a91c806c4f2d.txt"
SAMPLES = SHARED / "wp-samples"


@pytest.fixture
def seed_path():
    if not SEED.exists():
        pytest.skip("../shared/seed is not beside the project")
    return SEED
