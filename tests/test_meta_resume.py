"Meta-training killed mid-way (while making the bank, then while fitting) and resumed ends bitwise where an uninterrupted run ends."
import json, signal, subprocess, sys, time
import torch
from safetensors.torch import load_file

SCRIPT = r'''
import sys, time, torch
import where_to_edit.bank as bank, where_to_edit.fit as fit
from where_to_edit.world import World, WorldConfig
from where_to_edit.vit import create_vit, ViTConfig, EditSite
from where_to_edit.meta_train import MetaConfig
out, bank_delay, fit_delay = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])

def slowed(fn, delay):                      # slows the work down so that the test can kill it in the middle
    def wrapper(*a, **k): time.sleep(delay); return fn(*a, **k)
    return wrapper
bank.episode_targets = slowed(bank.episode_targets, bank_delay)
fit._train_batch = slowed(fit._train_batch, fit_delay)

torch.manual_seed(0)
base = create_vit(ViTConfig.preset('tiny'))
mcfg = MetaConfig.preset('tiny', inner_lr=.3, episodes=192, held_out=32, shard=32, chunk=16, retests=1)
fcfg = fit.FitConfig.preset('tiny', iterations=24, ckpt_every=4, eval_every=8, kl_episodes=8)
sampler = bank.world_sampler(World(WorldConfig.preset('tiny')), base, mcfg)
fit.meta_train(base, EditSite.ffn(12), sampler, mcfg, fcfg, out, progress=False)
'''

def run(script, out, bank_delay=0, fit_delay=0):
    return subprocess.Popen([sys.executable, str(script), str(out), str(bank_delay), str(fit_delay)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

def kill_when(p, ready, what):
    t0 = time.time()
    while not ready():
        assert p.poll() is None, p.stderr.read()
        assert time.time() - t0 < 300, f'no {what} appeared'
        time.sleep(.05)
    p.send_signal(signal.SIGKILL); p.wait()

def test_kill_and_resume(tmp_path):
    script = tmp_path/'train.py'; script.write_text(SCRIPT)
    a, b = tmp_path/'a', tmp_path/'b'
    p = run(script, a); assert p.wait(timeout=600) == 0, p.stderr.read()
    p = run(script, b, bank_delay=.5)                                     # killed while making the bank
    kill_when(p, lambda: len(list((b/'bank').glob('shard_*.safetensors'))) >= 2, 'bank shard')
    assert len(list((b/'bank').glob('shard_*.safetensors'))) < 6 and not (b/'fit_log.jsonl').exists()
    ckpt = b/'hypernet_ckpt.json'
    p = run(script, b, fit_delay=.3)                                      # then killed while fitting
    kill_when(p, lambda: ckpt.exists() and json.loads(ckpt.read_text())['iteration'] >= 4, 'checkpoint')
    assert json.loads(ckpt.read_text())['iteration'] < 24 and not (b/'hypernet.json').exists()
    p = run(script, b); assert p.wait(timeout=600) == 0, p.stderr.read()
    for f in ['hypernet.safetensors'] + [f'bank/{x.name}' for x in (a/'bank').glob('*.safetensors')]:
        ta, tb = load_file(str(a/f)), load_file(str(b/f))
        assert ta.keys() == tb.keys(), f
        for k in ta: assert torch.equal(ta[k], tb[k]), (f, k)             # bitwise the same bank and hypernetwork
    strip = lambda p: [{k: v for k, v in json.loads(l).items() if k != 'seconds'} for l in p.read_text().splitlines()]
    assert strip(a/'fit_log.jsonl') == strip(b/'fit_log.jsonl')            # and the same training curve
    assert [r['iteration'] for r in strip(b/'fit_log.jsonl')] == [8, 16, 24]
