import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK_RUN = ROOT/'runs'/'_test'/'tiny'   # where `make nbtest` leaves the notebooks' tiny run (08_reproduce makes it)

def run(*args, env=None, cwd=ROOT, timeout=900):
    "Run a console script of the package; its CompletedProcess with text output."
    return subprocess.run([str(BIN/args[0]), *args[1:]], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=timeout)

def finished(run_dir: Path) -> bool:
    "Whether `run_dir` holds a whole wte_reproduce run (its summary has the comparison section)."
    try: return 'comparison' in json.loads((run_dir/'summary.json').read_text())
    except (OSError, ValueError): return False

@pytest.fixture
def env(tmp_path):
    "Environment for CLI subprocesses: tiny scale, runs under the test's temporary folder."
    return {**os.environ, 'WTE_SCALE': 'tiny', 'WTE_RUNS': str(tmp_path/'runs')}

@pytest.fixture(scope='session')
def tiny_run(tmp_path_factory, worker_id):
    """A whole tiny run of `wte_reproduce`, made once and shared by every test process (they only read it): the
    notebooks' run resumed through the console script when `make nbtest` left one (nothing is trained again),
    else made from nothing. The first process to ask makes it; the others wait for it."""
    from filelock import FileLock
    base = tmp_path_factory.getbasetemp()
    root = base.parent if worker_id != 'master' else base        # shared by the xdist workers of one session
    out = root/'tiny_shared'/'run'
    with FileLock(str(root/'tiny_shared.lock')):
        if not finished(out):
            shutil.rmtree(out, ignore_errors=True)
            if finished(NOTEBOOK_RUN):
                shutil.copytree(NOTEBOOK_RUN, out, ignore=shutil.ignore_patterns(
                    'seed*', 'vit_s', 'figures.json', 'figures_data', 'ablations*', 'scope*', 'samples*'))
            env = {**os.environ, 'WTE_SCALE': 'tiny', 'WTE_RUNS': str(out.parent/'runs')}
            r = run('wte_reproduce', '--scale', 'tiny', '--out', str(out), '--quiet', env=env)
            assert r.returncode == 0, r.stderr[-3000:]
    return out

# The longest test files start first, one per process, so that neither process is left alone at the end with an
# hour-glass of its own (with `--dist loadfile` a file goes whole to the first process free, in collection order).
LONGEST_FIRST = ('test_real_path.py', 'test_figures.py', 'test_reproduce_workers.py', 'test_ddp.py', 'test_lab.py',
                 'test_bench_folders.py', 'test_devices.py', 'test_bench_resume.py', 'test_meta_resume.py')

def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.fspath)).name, len(rank)))

CHROMIUM, DRIVER = shutil.which('chromium'), shutil.which('chromedriver')

def chromium(height: int = 2000):
    "A headless Chromium driven by selenium, 1280 px wide and `height` tall, offline (quit it when done)."
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ('--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage',
              '--no-first-run', '--disable-component-update', '--disable-sync', f'--window-size=1280,{height}'):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(DRIVER), options=opts)
