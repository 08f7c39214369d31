"""A sweep killed inside any randomised editor and resumed gives the same results as an uninterrupted one: every random
draw (the members edited, Random's masks, the oracle's starts) derives from the seed and the sample, never from what ran
before in the process. Results of another config are refused."""
import json, signal, subprocess, sys, time
import pytest

SCRIPT = r'''
import sys, time, torch
from where_to_edit.world import World, WorldConfig, normalize
from where_to_edit.vit import create_vit, ViTConfig, EditSite
from where_to_edit.finetune import EditConfig
from where_to_edit.editors import FT, Random, Oracle
from where_to_edit.meta_train import MetaConfig
from where_to_edit.benchmark import Benchmark, Group
from where_to_edit.runner import Runner

out, delay, steps, which = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
kinds = {'FT': FT, 'Random': Random, 'Oracle': Oracle}

class Slow(kinds[which]):  # slows each mask down so the test can kill the sweep inside this editor
    def mask(self, *a):
        time.sleep(delay); return super().mask(*a)

torch.manual_seed(0)
vit = create_vit(ViTConfig.preset('tiny'))
d = World(WorldConfig.preset('tiny')).sample('val', 40)
x = normalize(d.images)
bench = Benchmark([Group('a', 'natural', x[:4], d.labels[:4]), Group('b', 'style', x[4:8], d.labels[4:8])], x[8:])
site, cfg = EditSite.ffn(12), EditConfig(max_steps=steps)
recipe = MetaConfig.preset('tiny', inner_lr=1e-2)
make = {'FT': lambda k: k(site, cfg), 'Random': lambda k: k(site, .25, seed=3, cfg=cfg),
        'Oracle': lambda k: k(site, recipe, .25, restarts=2, seed=3, cfg=cfg)}
editors = [make[which](Slow), Random(site, .1, cfg=cfg)]
Runner(vit, bench, site, out, max_edits=3, batch=2, seed=5).run(editors, progress=False)
'''

def start(script, out, delay, which, steps=5):
    return subprocess.Popen([sys.executable, str(script), str(out), str(delay), str(steps), which],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

def lines(p): return [{k: v for k, v in json.loads(l).items() if k != 'seconds'} for l in p.read_text().splitlines()]

@pytest.mark.parametrize('which', ['FT', 'Random', 'Oracle'])
def test_kill_and_resume(tmp_path, which):
    script = tmp_path/'sweep.py'; script.write_text(SCRIPT)
    a, b = tmp_path/'a.jsonl', tmp_path/'b.jsonl'
    p = start(script, a, 0, which); assert p.wait(timeout=600) == 0, p.stderr.read()
    p, t0 = start(script, b, .4, which), time.time()
    while not (b.exists() and len(b.read_text().splitlines()) >= 3):      # header + the first chunk of 2 edits
        assert p.poll() is None, p.stderr.read()
        assert time.time() - t0 < 300, 'no results appeared'
        time.sleep(.05)
    p.send_signal(signal.SIGKILL); p.wait()
    done = lines(b)
    assert len(done) < 1 + 6 and all(r.get('editor', which) == which for r in done)   # killed inside the slow editor
    with open(b, 'a') as f: f.write('{"editor": "' + which + '", "setting": 0.2')      # and a torn line, as a crash leaves
    p = start(script, b, 0, which); assert p.wait(timeout=600) == 0, p.stderr.read()
    assert lines(b) == lines(a) and len(lines(a)) == 1 + 2 * 6
    if which == 'FT':                                                     # another edit config: refused, not mixed
        p = start(script, b, 0, which, steps=7); p.wait(timeout=600)
        assert p.returncode != 0 and 'FT (None) was run with cfg.max_steps = 5, this run has 7' in p.stderr.read()
