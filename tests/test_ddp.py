"Meta-training under torchrun: 2 CPU processes (gloo) give the hypernetwork of 1 process with the same global batch."
import json, os, shutil, socket, subprocess, sys
import torch
from safetensors.torch import load_file
from conftest import BIN, ROOT
from where_to_edit.artifacts import save_json
from where_to_edit.world import WorldConfig
from where_to_edit.vit import create_vit, vit_config
from where_to_edit.weights import save_vit

def make_run(d):
    "A run directory as wte_reproduce leaves it before meta-training: world, base model, summary."
    d.mkdir(parents=True)
    w = WorldConfig.preset('tiny')
    save_json(w.to_dict(), d/'world.json'); save_json({'scale': 'tiny', 'seed': 0}, d/'summary.json')
    torch.manual_seed(0)
    cfg = vit_config('tiny', 'base', w)
    save_vit(create_vit(cfg), cfg, d/'base')
    return d

def torchrun(n, run, env):
    return subprocess.run([str(BIN/'torchrun'), '--standalone', f'--nproc_per_node={n}', '--no-python', str(BIN/'wte_meta'),
                           '--out', str(run), '--quiet'], capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)

def test_two_processes_equal_one(tmp_path):
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    one, two = make_run(tmp_path/'one'), tmp_path/'two'
    shutil.copytree(one, two)
    r = torchrun(1, one, env); assert r.returncode == 0, r.stderr[-3000:]
    r = torchrun(2, two, env); assert r.returncode == 0, r.stderr[-3000:]
    assert json.loads(r.stdout)['iterations'] == 60
    t1, t2 = load_file(str(one/'hypernet.safetensors')), load_file(str(two/'hypernet.safetensors'))
    assert t1.keys() == t2.keys()
    for k in t1: torch.testing.assert_close(t2[k], t1[k], atol=1e-5, rtol=0, msg=k)
    for f in (one/'bank').glob('*.safetensors'):                          # each process made half of the bank's shards
        a, b = load_file(str(f)), load_file(str(two/'bank'/f.name))
        for k in a: torch.testing.assert_close(b[k], a[k], atol=1e-5, rtol=0)

def free_port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def test_processes_that_disagree_stop_before_training(tmp_path):
    run = make_run(tmp_path/'run')
    port, procs = free_port(), []
    for rank, seed in ((0, 0), (1, 1)):                                   # process 1 was started with another seed
        env = {**os.environ, 'OMP_NUM_THREADS': '1', 'RANK': str(rank), 'LOCAL_RANK': str(rank), 'WORLD_SIZE': '2',
               'MASTER_ADDR': '127.0.0.1', 'MASTER_PORT': str(port)}
        procs.append(subprocess.Popen([str(BIN/'wte_meta'), '--out', str(run), '--seed', str(seed), '--quiet'],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT))
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode != 0
        assert 'process 1 was started with meta.seed = 1, process 0 with 0' in err, err[-2000:]
    assert not (run/'bank').exists()                                      # nothing was made

BANK_SCRIPT = r'''
import sys, timm, torch
from where_to_edit.vit import EditSite
from where_to_edit.weights import create_model
from where_to_edit.episodes import EpisodeSampler
from where_to_edit.meta_train import MetaConfig
from where_to_edit.folder_data import FolderData
from where_to_edit.bank import make_bank
from where_to_edit.fit import init_distributed
rank, world, dev = init_distributed()
base = create_model('test_vit', sys.argv[1]).eval()
data = FolderData(sys.argv[2], 160, workers=1)
cfg = MetaConfig.preset('tiny', inner_lr=1e-3, episodes=48, held_out=16, shard=16, chunk=8, retests=0)
make_bank(base, EditSite.ffn(6), EpisodeSampler.for_model(data, base), cfg, sys.argv[3], rank, world, progress=False)
if world > 1: torch.distributed.destroy_process_group()
'''

def test_real_data_bank_shared(tmp_path):
    "The bank of a real timm ViT from an ImageFolder (the paper's setting), made by 2 processes, equals 1 process's."
    from where_to_edit.real import example_inputs
    ex = example_inputs(tmp_path/'in', classes=2, per_class=8)
    (tmp_path/'bank.py').write_text(BANK_SCRIPT)
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    for n in (1, 2):
        r = subprocess.run([str(BIN/'torchrun'), '--standalone', f'--nproc_per_node={n}', str(tmp_path/'bank.py'),
                            str(ex['weights']), str(ex['train']), str(tmp_path/f'bank{n}')],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
        assert r.returncode == 0, r.stderr[-3000:]
    shards = sorted(p.name for p in (tmp_path/'bank1').glob('*.safetensors'))
    assert len(shards) == 3 and shards == sorted(p.name for p in (tmp_path/'bank2').glob('*.safetensors'))
    for f in shards:
        a, b = load_file(str(tmp_path/'bank1'/f)), load_file(str(tmp_path/'bank2'/f))
        for k in a: torch.testing.assert_close(b[k], a[k], atol=1e-5, rtol=0, msg=f'{f}: {k}')
