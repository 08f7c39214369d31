"The main job end to end at the tiny scale, through its console script."
import json
from conftest import run

def test_reproduce_tiny(tiny_run, env):
    out = tiny_run
    s = json.loads((out/'summary.json').read_text())
    assert s['scale'] == 'tiny' and s['seed'] == 0
    b = s['base_model']
    assert b['params'] > 0 and 0 <= b['val_acc'] <= 100 and b['train_seconds'] > 0
    assert set(b['accuracy']) == {'val', 'pool_broad', 'pool_subpops', 'oil_painting', 'stage_light', 'rendition', 'sketch'}
    assert (out/'base.safetensors').stat().st_size > 0 and (out/'strong.json').exists()
    for f in ('world_classes.png', 'models_accuracy.png', 'gr_lr.png', 'damage.png', 'protocol_grid.png', 'fig4.png'):
        assert (out/'figures'/f).read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    p = s['protocol']                                   # the edit lr is the rule's: FT succeeds there, or no rate did
    assert p['config']['lr'] == p['lr'] and (p['ft_sr'][str(p['lr'])] >= p['target']) == p['met']
    assert all(v < p['target'] for lr, v in p['ft_sr'].items() if float(lr) < p['lr'])
    assert len(p['grid']) == 7 * 5 * 2 and s['benchmark']['edits_per_group'] == 2
    from where_to_edit.methods import METHODS
    assert set(s['methods']) == set(METHODS) and all(s['methods'][m] for m in METHODS)
    every = {f"{m}@{r['setting']}" for m, rows in s['methods'].items() for r in rows}
    assert set(p['rates']) == every and set(p['unreliable']) == {k for k, r in p['rates'].items() if not r['met']}
    for m, rows in s['methods'].items():                # each setting at its own rate, calibrated off the evaluation draw
        assert all(r['lr'] == p['rates'][f"{m}@{r['setting']}"]['lr'] for r in rows)
    assert json.loads((out/'reliable_lrs.json').read_text())['rates'].keys() == p['rates'].keys()
    assert {r['method'] for r in s['comparison']['rebuttal']} >= {'ROME', 'LoRA', 'ROME+LoRA'}
    assert set(s['comparison']['by_kind']) == {'natural', 'style'}
    for f in ('rome_cov.safetensors', 'rome_cov.json', 'ke.safetensors', 'mend.json'):
        assert (out/'baselines'/f).exists()
    c = s['comparison']                                 # every method on the same edits, the core ones reused
    assert c['edits_per_group'] == 2 and set(c['methods']) == set(METHODS)
    assert c['methods']['HPRD'] == s['methods']['HPRD']
    row = s['methods']['FT'][0]
    assert {'LR_val', 'LR_rendition', 'LR_rand', 'dw_rel', 'steps', 'GR_ci'} <= set(row)
    header = json.loads((out/'results.jsonl').read_text().split('\n')[0])['header']
    assert header['protocol'] == p['config'] and header['draw_seed'] == 0 and header['max_edits'] == 2
    from test_readme import COMMANDS                    # the README's commands on a run directory, here at the tiny scale
    on_run = [(n, [a.replace('runs/cpu', str(out)) for a in args]) for n, args in COMMANDS
              if n in ('wte_bench', 'wte_meta') and 'runs/cpu' in args]
    assert {n for n, _ in on_run} == {'wte_bench', 'wte_meta'}
    for name, args in on_run:
        r = run(name, *args, '--quiet', env=env)
        assert r.returncode == 0, f"README: {name} {' '.join(args)}: {r.stderr[-2000:]}"
        assert json.loads(r.stdout)

def test_reproduce_until_models(tmp_path, env):
    "--until models stops before meta-training: what a multi-process wte_meta run starts from."
    r = run('wte_reproduce', '--scale', 'tiny', '--out', str(tmp_path), '--quiet', '--until', 'models', env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((tmp_path/'summary.json').read_text())
    assert 'base_model' in s and 'hypernet' not in s and not (tmp_path/'hypernet.json').exists()
    r = run('wte_reproduce', '--scale', 'tiny', '--out', str(tmp_path), '--until', 'bank', env=env)
    assert r.returncode != 0 and '--until must be one of models, hypernet, methods' in r.stderr

def test_reproduce_refuses_bad_scale(tmp_path, env):
    r = run('wte_reproduce', '--scale', 'huge', '--out', str(tmp_path), env=env)
    assert r.returncode != 0 and "scale must be one of" in r.stderr

def test_reproduce_refuses_other_world(tmp_path, env):
    (tmp_path/'world.json').write_text(json.dumps({'n_shapes': 3}))
    r = run('wte_reproduce', '--scale', 'tiny', '--out', str(tmp_path), env=env)
    assert r.returncode != 0 and 'holds a different world' in r.stderr

def test_perf_hypernet_figures():
    r = run('wte_perf', '--only', 'hypernet_vit_b16')
    assert r.returncode == 0, r.stderr[-3000:]
    h = json.loads(r.stdout)['hypernet_vit_b16']
    assert abs(h['params_m'] - 31.9) < .32 and abs(h['gflops'] - .277) < .01


def test_results_published_and_checked(tiny_run, tmp_path, env):
    "wte_results publishes a run's JSON and rewrites a document's marked tables; --check fails on a stale table."
    doc = tmp_path/'README.md'
    doc.write_text('intro\n<!-- results:results/tiny:controls -->\nstale\n<!-- /results -->\n')
    r = run('wte_results', '--run', str(tiny_run), '--to', str(tmp_path/'results'/'tiny'), '--docs', str(doc),
            '--root', str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path/'results'/'tiny'/'summary.json').exists() and 'stale' not in doc.read_text()
    assert 'HPRD - Prior' in doc.read_text()                      # the controls table, generated
    ok = run('wte_results', '--check', '--docs', str(doc), '--root', str(tmp_path), env=env)
    assert ok.returncode == 0, ok.stderr[-2000:]
    doc.write_text(doc.read_text().replace('HPRD - Prior', 'HPRD - Someone'))
    bad = run('wte_results', '--check', '--docs', str(doc), '--root', str(tmp_path), env=env)
    assert bad.returncode != 0 and 'results/tiny:controls' in bad.stderr
