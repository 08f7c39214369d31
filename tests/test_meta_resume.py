"Meta-training killed mid-way and resumed ends bitwise where an uninterrupted run ends."
import json, os, signal, subprocess, sys, time
import torch
from safetensors.torch import load_file

SCRIPT = r'''
import sys, time, torch
from where_to_edit.world import World, WorldConfig
from where_to_edit.vit import create_vit, ViTConfig, EditSite
from where_to_edit.episodes import EpisodeSampler
from where_to_edit.meta_train import meta_train, MetaConfig

class Slow(EpisodeSampler):  # slows each iteration down so the test can kill the run between checkpoints
    def sample(self, n, g):
        time.sleep(float(sys.argv[2])); return super().sample(n, g)

torch.manual_seed(0)
base = create_vit(ViTConfig.preset('tiny'))
world = World(WorldConfig.preset('tiny'))
meta_train(base, EditSite.ffn(12), Slow.for_model(world.sample('train', 256), base),
           MetaConfig.preset('tiny', iterations=8, ckpt_every=2), sys.argv[1], progress=False)
'''

def run(script, out, delay):
    return subprocess.Popen([sys.executable, str(script), str(out), str(delay)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

def test_kill_and_resume(tmp_path):
    script = tmp_path/'train.py'; script.write_text(SCRIPT)
    a, b = tmp_path/'a', tmp_path/'b'
    p = run(script, a, 0); assert p.wait(timeout=600) == 0, p.stderr.read()
    p = run(script, b, .7)
    ckpt, t0 = b/'hypernet_ckpt.json', time.time()
    while not (ckpt.exists() and json.loads(ckpt.read_text())['iteration'] >= 2):
        assert p.poll() is None, p.stderr.read()
        assert time.time() - t0 < 300, 'no checkpoint appeared'
        time.sleep(.05)
    p.send_signal(signal.SIGKILL); p.wait()
    killed_at = json.loads(ckpt.read_text())['iteration']
    assert killed_at < 8 and not (b/'hypernet.json').exists()          # it really died mid-way
    p = run(script, b, 0); assert p.wait(timeout=600) == 0, p.stderr.read()
    ta, tb = load_file(str(a/'hypernet.safetensors')), load_file(str(b/'hypernet.safetensors'))
    assert ta.keys() == tb.keys()
    for k in ta: assert torch.equal(ta[k], tb[k]), k                    # bitwise the same hypernetwork
    strip = lambda p: [{k: v for k, v in json.loads(l).items() if k != 'seconds'} for l in p.read_text().splitlines()]
    assert strip(a/'meta_log.jsonl') == strip(b/'meta_log.jsonl')       # and the same training curve
    assert len(strip(b/'meta_log.jsonl')) == 8
