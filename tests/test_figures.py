"wte_figures end to end at the tiny scale: every seed, figure and verdict, then a resume."
import json, shutil
import pytest
from conftest import NOTEBOOK_RUN, run, finished

@pytest.fixture(scope='module')
def figures_run(request, tmp_path_factory):
    """The run wte_figures starts from: a copy of the notebooks' tiny run when `make nbtest` left one (with the scope,
    several-samples and ablation results its notebooks made there, which wte_figures then resumes), else `tiny_run`."""
    made = NOTEBOOK_RUN if finished(NOTEBOOK_RUN) else request.getfixturevalue('tiny_run')
    out = tmp_path_factory.mktemp('figures')/'run'
    shutil.copytree(made, out, ignore=shutil.ignore_patterns('seed*', 'vit_s', 'figures.json'))
    return out

def test_figures_tiny(figures_run, env):
    """wte_figures on a finished run (two seeds): the other seed (sharing seed 0's models), the backbone, scope,
    samples and ablations, every figure; then a resume, and a resume under the other seed policy refused."""
    from PIL import Image
    from where_to_edit.figures import FIGURES
    from where_to_edit.claims import CLAIMS
    tiny_run = figures_run
    r = run('wte_figures', '--scale', 'tiny', '--out', str(tiny_run), '--quiet', '--seeds', '2', '--workers', '2',
            env=env)                                  # the parts in two worker processes, then read back
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads((tiny_run/'figures.json').read_text())
    logs = {p.stem for p in (tiny_run/'figures_logs').glob('*.log')}
    assert {'seed_1', 'backbone', 'scope', 'samples'} <= logs and any(n.startswith('ablations') for n in logs), logs
    assert res['calls'][-1]['what'].endswith('--workers 2'), res['calls'][-1]
    assert res['seeds'] == [0, 1] and set(res['figures']) == set(FIGURES)
    for k in FIGURES:                                   # every figure written and decodable
        with Image.open(tiny_run/'figures'/f'{k}.png') as im: assert im.size[0] > 100 and im.size[1] > 100
    assert set(res['verdicts']) == {str(c) for c in CLAIMS}
    from where_to_edit.decisions import WORDS
    assert all(v['verdict'] in WORDS for v in res['verdicts'].values())
    for c in CLAIMS: assert f'| {c}. ' in r.stdout       # the verdict table is printed
    s1 = tiny_run/'seed1'                            # seed 0's world, models and benchmark; its own hypernetwork
    for f in ('world.json', 'base.safetensors', 'strong.safetensors', 'benchmark/benchmark.safetensors'):
        assert (s1/f).read_bytes() == (tiny_run/f).read_bytes(), f
    assert (s1/'hypernet.safetensors').read_bytes() != (tiny_run/'hypernet.safetensors').read_bytes()
    summary1 = json.loads((s1/'summary.json').read_text())
    assert (summary1['seed'], summary1['world_seed']) == (1, 0) and res['seeds_share'].startswith('world')
    assert json.loads((s1/'edit_protocol.json').read_text())['for']['draw_seed'] == 1
    assert {'seed 1', 'backbone', 'scope', 'samples', 'ablations'} <= set(res['timing'])
    core = res['core_over_seeds']['HPRD'][0]
    assert core['seeds'] == 2 and core['GR_ci'][0] <= core['GR'] <= core['GR_ci'][1]
    stamp = {p: p.stat().st_mtime_ns for p in tiny_run.glob('**/*.safetensors')}
    r = run('wte_figures', '--scale', 'tiny', '--out', str(tiny_run), '--quiet', '--seeds', '2',
            '--skip', 'backbone,scope,samples', '--ablations', 'N', env=env)    # resumed: nothing retrained
    assert r.returncode == 0, r.stderr[-3000:]
    assert {p: p.stat().st_mtime_ns for p in tiny_run.glob('**/*.safetensors')} == stamp
    r = run('wte_figures', '--scale', 'tiny', '--out', str(tiny_run), '--quiet', '--seeds', '2', '--own_models',
            '--skip', 'backbone,scope,samples,ablations', env=env)   # seed 1 was made sharing: refused
    assert r.returncode != 0 and "seed 1's run holds the world of seed 0" in r.stderr, r.stderr[-2000:]

def test_figures_refuses_bad_input(tmp_path, env):
    r = run('wte_figures', '--scale', 'tiny', '--out', str(tmp_path), '--skip', 'backbone,bogus', env=env)
    assert r.returncode != 0 and 'bogus' in r.stderr and 'ablations' in r.stderr
    r = run('wte_figures', '--scale', 'tiny', '--out', str(tmp_path), '--seeds', '0', env=env)
    assert r.returncode != 0 and '--seeds must be in' in r.stderr
    r = run('wte_figures', '--scale', 'tiny', '--out', str(tmp_path), '--workers', '0', env=env)
    assert r.returncode != 0 and '--workers must be in' in r.stderr
    assert not (tmp_path/'world.json').exists()         # refused before anything was made
