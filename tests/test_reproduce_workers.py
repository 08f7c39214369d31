"""`wte_reproduce --workers 2`: the methods stage made in parts, two processes at once, gives the records of the
same stage made in one process (at the same number of torch threads), and the call records how it ran."""
import json, os, shutil
from conftest import run

MADE_BY_THE_METHODS = ('benchmark', 'edit_protocol.json', 'reliable_lrs.json', 'results.jsonl', 'comparison.jsonl',
                       'grid', 'baselines', 'parts')
EDITS = ('results.jsonl', 'comparison.jsonl')

def records(path, timed: bool = False) -> dict:
    "A results file's records by (editor, setting, group, sample), without their timing unless `timed`."
    lines = [json.loads(l) for l in path.read_text().splitlines()[1:]]
    return {(r['editor'], str(r['setting']), r['group'], r['sample']):
            {k: v for k, v in r.items() if timed or k != 'seconds'} for r in lines}

def test_workers_give_the_records_of_one_process(tiny_run, tmp_path, env):
    out, one = tmp_path/'run', tmp_path/'one'
    shutil.copytree(tiny_run, out, ignore=shutil.ignore_patterns(*MADE_BY_THE_METHODS))
    r = run('wte_reproduce', '--scale', 'tiny', '--out', str(out), '--workers', '2', '--quiet', env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    logs = {p.stem for p in (out/'parts'/'logs').glob('*.log')}
    assert logs == {'base', 'strong', 'hypernetwork', 'benchmark', 'HPRD', 'Prior', 'Oracle', 'baselines',
                    'FT__FT-L1__FT-L2', 'Random', 'grid'}, logs
    call = json.loads((out/'summary.json').read_text())['calls'][-1]
    assert call['what'] == 'reproduce --scale tiny --seed 0 --until methods --workers 2' and call['finished']
    assert {'part: HPRD', 'part: baselines', 'the parts, in workers'} <= set(call['stage_s'])
    made = {}                                          # what the parts made, their timing included
    for part in sorted((out/'parts').glob('*.jsonl')): made.update(records(part, timed=True))
    core = records(out/'results.jsonl', timed=True)
    for name, made_by in (('results.jsonl', made), ('comparison.jsonl', {**made, **core})):
        mine = records(out/name, timed=True)         # the stages took every record in once, edited nothing
        assert len((out/name).read_text().splitlines()) == 1 + len(mine), name
        remade = [k for k, r in mine.items() if made_by.get(k) != r]
        assert not remade, f"{name}: {len(remade)} records made again after the parts, e.g. {remade[:3]}"
    mine, theirs = (json.loads((d/'reliable_lrs.json').read_text()) for d in (out, tiny_run))
    if mine['for'] == theirs['for']:                   # each setting's rate is the notebooks' run's
        assert {k: theirs['rates'].get(k) for k in mine['rates']} == mine['rates']
    # the same edits made again in one process, the rates taken as calibrated
    shutil.copytree(out, one, ignore=shutil.ignore_patterns(*EDITS, 'parts'))
    r = run('wte_reproduce', '--scale', 'tiny', '--out', str(one), '--quiet', env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    for name in EDITS:
        mine, theirs = records(out/name), records(one/name)
        assert set(mine) == set(theirs), name
        if len(os.sched_getaffinity(0)) // 2 == 1:        # the workers ran one thread, as the test processes do
            diff = [k for k in mine if mine[k] != theirs[k]]
            assert not diff, f"{name}: {len(diff)} records differ, e.g. {diff[:3]}"

def test_workers_refused_below_one(tmp_path, env):
    r = run('wte_reproduce', '--scale', 'tiny', '--out', str(tmp_path/'run'), '--workers', '0', env=env)
    assert r.returncode != 0 and '--workers must be in [1, 256], got 0' in r.stderr, r.stderr[-2000:]
    assert not (tmp_path/'run').exists()
