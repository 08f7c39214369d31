"""The paper's setting end to end from the command line on small inputs the test writes: a timm ViT's weights, an
ImageFolder with unusable files among its images, a benchmark in the published layout; killed during the methods
stage and resumed."""
import json, os, signal, subprocess, time
import numpy as np
from PIL import Image
from conftest import BIN, ROOT
from where_to_edit.methods import METHODS
from where_to_edit.real import example_inputs

def add_bad_files(train):
    "Unusable files of four kinds, and a grayscale and a CMYK JPEG, which are usable."
    c = train/'n0000'
    (c/'empty.jpg').write_bytes(b'')
    (c/'notes.jpg').write_text('not an image')
    good = (c/'0.jpg').read_bytes(); (c/'cut.jpg').write_bytes(good[:len(good) // 3])
    Image.new('1', (7000, 6000)).save(c/'huge.png')                   # 42 megapixels, over MAX_PIXELS
    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 256, (40, 48), dtype=np.uint8)).save(c/'gray.jpg')
    Image.fromarray(rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)).convert('CMYK').save(c/'cmyk.jpg')

def command(ex, out, *extra):
    return [str(BIN/'wte_reproduce'), '--model', ex['model'], '--weights', str(ex['weights']), '--train', str(ex['train']),
            '--bench', str(ex['bench']), '--out', str(out), '--scale', 'tiny', '--workers', '0', '--quiet', *extra]

def test_paper_setting_killed_and_resumed(tmp_path):
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'WTE_DEVICE': 'cpu'}
    ex, out = example_inputs(tmp_path/'in'), tmp_path/'run'
    add_bad_files(ex['train'])
    r = subprocess.run(command(ex, out), capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert r.returncode != 0 and 'n0000/cut.jpg: unreadable or corrupt image' in r.stderr, r.stderr[-2000:]
    assert '(and 3 more); remove it or pass skip_bad' in r.stderr and not (out/'bank').exists()   # refused before training
    p = subprocess.Popen(command(ex, out, '--skip_bad'), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=env, cwd=ROOT)
    results, t0 = out/'results.jsonl', time.time()
    while not (results.exists() and len(results.read_text().splitlines()) >= 4):   # the header and three edits
        assert p.poll() is None, p.stderr.read()[-3000:]
        assert time.time() - t0 < 600, 'the methods stage never started'
        time.sleep(.1)
    p.send_signal(signal.SIGKILL); p.wait()
    assert 'methods' not in json.loads((out/'summary.json').read_text())
    r = subprocess.run(command(ex, out, '--skip_bad'), capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((out/'summary.json').read_text())
    assert (s['scale'], s['real'], s['base_model']['name'], s['base_model']['blocks']) == ('tiny', True, 'test_vit', 6)
    skipped = s['hypernet']['train']['skipped']
    assert sorted(f.split(':')[0].rsplit('/', 1)[1] for f in skipped) == ['cut.jpg', 'empty.jpg', 'huge.png', 'notes.jpg']
    assert s['hypernet']['train']['images'] == 4 * 25 + 2                 # the grayscale and CMYK images kept
    assert set(s['methods']) == set(METHODS) and set(s['comparison']['methods']) == set(METHODS)
    assert [g['name'] for g in s['benchmark']['groups']] == ['3_a-b', 'oil_painting']
    assert s['protocol']['met'] and {k.split('@')[0] for k in s['protocol']['rates']} == set(METHODS)
    recs = [json.loads(l) for l in results.read_text().splitlines()[1:]]
    keys = [(r['editor'], str(r['setting']), r['group'], r['sample']) for r in recs]
    assert len(keys) == len(set(keys))                                    # no edit made twice across the kill
    for f in ('meta_train_curve', 'damage', 'gr_lr', 'fig4', 'protocol_grid'): assert (out/'figures'/f'{f}.png').exists()
    assert [c['finished'] for c in s['calls']] == [True]           # the refused call and the killed one left none
    assert list(s['calls'][0]['stage_s'])[:3] == ['model and training images', 'hypernetwork (bank and fit)', 'benchmark']
    editor_on_real_run(ex, out)                                     # the run opens in the editor

def editor_on_real_run(ex, out):
    "The editor opens a real-path run (`load_real_run`): an edit tried, kept and reverted, the model bit for bit."
    import torch
    from where_to_edit.real import load_real_run
    from where_to_edit.widget import EditSession, EditorWidget
    run = load_real_run(out, ex['model'], ex['weights'], ex['bench'], skip_bad=True, device='cpu')
    before = {k: v.clone() for k, v in run.base.state_dict().items()}
    w = EditorWidget(EditSession(run))
    assert list(w.method.options) == ['HPRD', 'Random', 'FT'] and not w.notice.value
    edit, keep, revert = w.buttons
    edit.click()
    assert 'on trial' in w.status.value, w.status.value
    assert w.session.last['label'] == str(int(run.bench.groups[0].y[0]))     # classes named by label id
    keep.click(); revert.click()
    assert len(w.session.kept) == 0 and all(torch.equal(v, before[k]) for k, v in run.base.state_dict().items())
