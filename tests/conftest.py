import os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

@pytest.fixture
def env(tmp_path):
    "Environment for CLI subprocesses: tiny scale, runs under the test's temporary folder."
    return {**os.environ, 'WTE_SCALE': 'tiny', 'WTE_RUNS': str(tmp_path/'runs')}
