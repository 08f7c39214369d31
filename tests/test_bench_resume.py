"A sweep killed mid-way and resumed gives the same results as an uninterrupted one; other configs are refused."
import json, signal, subprocess, sys, time
import pytest

SCRIPT = r'''
import sys, time, torch
from where_to_edit.world import World, WorldConfig, normalize
from where_to_edit.vit import create_vit, ViTConfig, EditSite
from where_to_edit.edit import FT, Random, EditConfig
from where_to_edit.benchmark import Benchmark, Group, Runner

class SlowFT(FT):  # slows each edit down so the test can kill the sweep between edits
    def edit(self, *a):
        time.sleep(float(sys.argv[2])); return super().edit(*a)

torch.manual_seed(0)
vit = create_vit(ViTConfig.preset('tiny'))
d = World(WorldConfig.preset('tiny')).sample('val', 40)
x = normalize(d.images)
bench = Benchmark([Group('a', 'natural', x[:4], d.labels[:4]), Group('b', 'style', x[4:8], d.labels[4:8])], x[8:])
site, cfg = EditSite.ffn(12), EditConfig(max_steps=int(sys.argv[3]))
Runner(vit, bench, site, sys.argv[1], max_edits=3).run([SlowFT(site, cfg), Random(site, .25, cfg=cfg)], progress=False)
'''

def start(script, out, delay, steps=5):
    return subprocess.Popen([sys.executable, str(script), str(out), str(delay), str(steps)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

def lines(p): return [{k: v for k, v in json.loads(l).items() if k != 'seconds'} for l in p.read_text().splitlines()]

def test_kill_and_resume(tmp_path):
    script = tmp_path/'sweep.py'; script.write_text(SCRIPT)
    a, b = tmp_path/'a.jsonl', tmp_path/'b.jsonl'
    p = start(script, a, 0); assert p.wait(timeout=600) == 0, p.stderr.read()
    p, t0 = start(script, b, .5), time.time()
    while not (b.exists() and len(b.read_text().splitlines()) >= 3):      # header + 2 edits done
        assert p.poll() is None, p.stderr.read()
        assert time.time() - t0 < 300, 'no results appeared'
        time.sleep(.05)
    p.send_signal(signal.SIGKILL); p.wait()
    assert len(lines(b)) < len(lines(a))                                  # killed mid-way
    p = start(script, b, 0); assert p.wait(timeout=600) == 0, p.stderr.read()
    assert lines(b) == lines(a) and len(lines(a)) == 1 + 2 * 6
    p = start(script, b, 0, steps=7); p.wait(timeout=600)                 # another edit config: refused, not mixed
    assert p.returncode != 0 and 'was run with edit config' in p.stderr.read()
