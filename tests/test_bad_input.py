"""Bad input, tried as a hostile but realistic user would: images, folders, weights, run directories, edits, configs and
command-line arguments. Each case asserts the error's type, that its message names the culprit (file, tensor, field,
argument or sample), and that nothing partial is left behind (no file written or changed, no model changed)."""
import hashlib, json, os, subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
import numpy as np, pytest, torch
from PIL import Image
from safetensors.torch import save_file
from conftest import BIN
from where_to_edit.artifacts import ArtifactError, read_safetensors
from where_to_edit.world import WorldConfig
from where_to_edit.vit import ViTConfig, EditSite, create_vit, model_fingerprint
from where_to_edit.weights import load_weights, load_vit, save_vit, WeightsError, state_dict_to_npz
from where_to_edit.hypernet import MaskHypernet, save_hypernet, load_hypernet, topk_mask
from where_to_edit.edit import Edit
from where_to_edit.finetune import EditConfig, masked_finetune, batched_finetune
from where_to_edit.editors import FT, HPRD
from where_to_edit.benchmark import Benchmark, Group
from where_to_edit.runner import Runner
from where_to_edit.runs import bench_run
from where_to_edit.fit import load_checkpoint, save_checkpoint
from where_to_edit.weight_edit import WeightEdit
import where_to_edit.folders as folders

TINY = ViTConfig.preset('tiny')           # 12 blocks, width 32, FFN 128, 32 px, 40 classes
SITE = EditSite.ffn(12)

def vit(seed=0, **kw):
    torch.manual_seed(seed); return create_vit(ViTConfig(**{**TINY.to_dict(), **kw})).eval()

@pytest.fixture(scope='module')
def made():
    "A model, an edit sample and an edit of it."
    m = vit()
    x, y = torch.randn(1, 3, 32, 32), torch.tensor([3])
    return m, x, y, FT(SITE, EditConfig(max_steps=2)).edit(m, x, y)

def after(*steps):
    "The last of `steps`: a case's setup is a few calls, then the trigger."
    return steps[-1]

def truncated(path, keep: int):
    "`path` cut to its first `keep` bytes (negative: all but the last -keep)."
    path.write_bytes(path.read_bytes()[:keep]); return path

def png(path, size=(40, 40)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (*size[::-1], 3), dtype=np.uint8)).save(path)
    return path

def folders_fixture(tmp, group='3_cat'):
    png(tmp/'nat'/group/'a.png'); png(tmp/'loc'/'l.png')
    return tmp/'nat', tmp/'loc'

def bench_from(t, locality='loc'): return folders.load_benchmark(vit(), t/'nat', t/locality)

def npz(path):
    np.savez(path, **state_dict_to_npz(vit().state_dict(), 12, 2)); return path

def weights(tmp, sd=None, name='w.safetensors'):
    save_file(sd if sd is not None else vit().state_dict(), str(tmp/name)); return tmp/name

def with_nan(key, value=float('nan')):
    sd = vit().state_dict(); sd[key] = sd[key].clone(); sd[key].view(-1)[0] = value; return sd

def cli(*args, cwd):
    return subprocess.run([str(BIN/args[0]), *map(str, args[1:])], capture_output=True, text=True, cwd=cwd, timeout=600,
                          env={**os.environ, 'WTE_SCALE': 'tiny', 'WTE_RUNS': str(cwd/'runs')})

class CliError(Exception): "A console script's failure, as the user sees it: one line on stderr."

def run_cli(*args, cwd):
    r = cli(*args, cwd=cwd)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and 'Traceback' not in r.stderr, (r.returncode, r.stderr[-2000:])
    raise CliError(lines[0])

@dataclass
class Case:
    name: str
    setup: Callable            # tmp_path -> trigger (a callable that must raise)
    error: type
    names: str                 # a substring the message must hold: the culprit

def _edit_case(name, make_trigger, error, names):
    "A case on the module's model and edit; the model must come out bitwise unchanged."
    return Case(name, lambda t: (make_trigger(t), _m()), error, names)

def _apply_to(model):
    "A case applying the module's edit to `model`, which must come out bitwise unchanged."
    return lambda: _e().apply(model), model

def _test_vit_weights(t: Path) -> Path:
    "timm's smallest ViT (test_vit, 160 px), its random weights saved as a .pth state dict."
    import timm
    torch.save(timm.create_model('test_vit', pretrained=False).state_dict(), t/'w.pth'); return t/'w.pth'

def _train_folder(t: Path, empty: bool = False) -> Path:
    "An ImageFolder of two classes of three small JPEGs each; `empty`: plus a 0-byte one."
    rng = np.random.default_rng(0)
    for c in range(2):
        (t/'train'/f'c{c}').mkdir(parents=True, exist_ok=True)
        for i in range(3): Image.fromarray(rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)).save(t/'train'/f'c{c}'/f'{i}.jpg')
    if empty: (t/'train'/'c1'/'empty.jpg').write_bytes(b'')
    return t/'train'

CASES = [
    # images and folders
    Case('empty image', lambda t: after((t/'e.png').touch(), lambda: folders.load_rgb(t/'e.png')),
         folders.BadImage, 'e.png: empty file'),
    Case('truncated png', lambda t: after(truncated(png(t/'c.png'), 60), lambda: folders.load_rgb(t/'c.png')),
         folders.BadImage, 'c.png: unreadable or corrupt image'),
    Case('text named .jpg', lambda t: after((t/'n.jpg').write_text('hello'), lambda: folders.load_rgb(t/'n.jpg')),
         folders.BadImage, 'n.jpg'),
    Case('image over the size limit', lambda t: after(png(t/'big.png', (300, 200)), lambda: _limited(folders.load_rgb, t/'big.png')),
         folders.BadImage, 'big.png: 300 x 200 pixels, over the limit'),
    Case('group folder without label id', lambda t: after(folders_fixture(t, 'cats'), lambda: bench_from(t)),
         ValueError, "cats: folder name must start with a label id"),
    Case('label id outside the classes', lambda t: after(folders_fixture(t, '99_x'), lambda: bench_from(t)),
         ValueError, "99_x: label id 99 is outside the model's classes [0, 39]"),
    Case('empty group folder', lambda t: after(folders_fixture(t), (t/'nat'/'4_empty').mkdir(), lambda: bench_from(t)),
         ValueError, '4_empty: no readable images'),
    Case('no group folders', lambda t: after((t/'nat').mkdir(), png(t/'loc'/'l.png'), lambda: bench_from(t)),
         ValueError, 'nat: no group folders'),
    Case('missing locality folder', lambda t: after(png(t/'nat'/'3_cat'/'a.png'), lambda: bench_from(t, 'nowhere')),
         FileNotFoundError, 'nowhere'),
    # weights
    Case('missing weights file', lambda t: lambda: load_weights(vit(), t/'absent.safetensors'),
         FileNotFoundError, 'absent.safetensors'),
    Case('truncated safetensors', lambda t: after(truncated(weights(t), -100), lambda: load_weights(vit(), t/'w.safetensors')),
         WeightsError, 'w.safetensors: unreadable or truncated'),
    Case('truncated npz', lambda t: after(truncated(npz(t/'w.npz'), -300), lambda: load_weights(vit(), t/'w.npz')),
         WeightsError, 'w.npz'),
    Case('weights of another architecture', lambda t: after(weights(t), lambda: load_weights(vit(num_classes=7), t/'w.safetensors')),
         WeightsError, "tensor 'head.weight' has shape (40, 32), model expects (7, 32)"),
    Case('pickle refused', lambda t: after(torch.save({'state_dict': vit().state_dict(), 'evil': object()}, t/'w.pth'),
                                           lambda: load_weights(vit(), t/'w.pth')),
         WeightsError, 'w.pth'),
    Case('NaN weights', lambda t: after(weights(t, with_nan('blocks.3.attn.qkv.weight')), lambda: load_weights(vit(), t/'w.safetensors')),
         WeightsError, "tensor 'blocks.3.attn.qkv.weight' holds non-finite values"),
    Case('Inf weights', lambda t: after(weights(t, with_nan('head.bias', float('inf'))), lambda: load_weights(vit(), t/'w.safetensors')),
         WeightsError, "tensor 'head.bias' holds non-finite values"),
    Case('unknown weights format', lambda t: after((t/'w.ckpt').write_bytes(b'x'), lambda: load_weights(vit(), t/'w.ckpt')),
         WeightsError, "unknown weights format '.ckpt'"),
    Case('missing tensor', lambda t: after(weights(t, {k: v for k, v in vit().state_dict().items() if k != 'norm.bias'}),
                                           lambda: load_weights(vit(), t/'w.safetensors')),
         WeightsError, "missing tensor 'norm.bias'"),
    Case('extra tensor', lambda t: after(weights(t, {**vit().state_dict(), 'extra.w': torch.ones(2)}),
                                         lambda: load_weights(vit(), t/'w.safetensors')),
         WeightsError, "unexpected tensor 'extra.w'"),
    Case('hypernet of another width', lambda t: after(save_hypernet(MaskHypernet(16, 128, 6, depth=1), t/'h', SITE.names),
                                                      lambda: load_hypernet(t/'h', vit(), SITE)),
         ValueError, 'hypernetwork width (N) is 16'),
    # run directories and artifacts
    Case('corrupt world.json', lambda t: after((t/'run').mkdir(), (t/'run'/'world.json').write_text('{"n_sh'),
                                               lambda: run_cli('wte_reproduce', '--scale', 'tiny', '--out', t/'run', cwd=t)),
         CliError, 'world.json: not valid JSON'),
    Case('results of another configuration', lambda t: _results_case(t, lambda p: p.write_text(
        json.dumps({'header': {'model': 'other'}}) + '\n' + json.dumps({'editor': 'FT'}) + '\n')),
         ValueError, 'model is'),
    Case('results header unreadable', lambda t: _results_case(t, lambda p: p.write_text('{"head\n' + json.dumps({'editor': 'FT'}) + '\n')),
         ValueError, 'its first line is not a results header'),
    Case('truncated benchmark.safetensors', lambda t: _bench_case(t, lambda f: truncated(f, -50)),
         ArtifactError, 'benchmark.safetensors: unreadable or truncated'),
    Case('benchmark files disagree', lambda t: _bench_case(t, lambda f: save_file({'loc_x': torch.zeros(2, 3, 32, 32)}, str(f))),
         ArtifactError, 'benchmark.json and benchmark.safetensors do not match'),
    Case('corrupt hypernet checkpoint', lambda t: _ckpt_case(t),
         ArtifactError, 'ckpt.safetensors: unreadable or truncated'),
    Case('truncated hypernet weights', lambda t: after(save_hypernet(MaskHypernet(32, 128, 6, depth=1), t/'h', SITE.names),
                                                       truncated(t/'h.safetensors', 20), lambda: load_hypernet(t/'h', vit(), SITE)),
         WeightsError, 'h.safetensors'),
    Case('run directory without its artifacts', lambda t: after((t/'run').mkdir(), lambda: bench_run(t/'run')),
         FileNotFoundError, 'world.json: missing; run wte_reproduce'),
    Case('edit file not an edit', lambda t: after((t/'e.safetensors').write_bytes(b'garbage'), lambda: Edit.load(t/'e.safetensors')),
         ArtifactError, 'e.safetensors: unreadable'),
    Case('edit file of other tensors', lambda t: after(save_file({'x': torch.ones(1)}, str(t/'e.safetensors')),
                                                       lambda: Edit.load(t/'e.safetensors')),
         ArtifactError, 'e.safetensors: not an edit file'),
    # edits
    _edit_case('label outside the classes', lambda t: lambda: FT(SITE).edit(_m(), _x(), torch.tensor([40])),
               ValueError, "sample 0 has label 40, outside the classifier's classes [0, 39]"),
    _edit_case('NaN pixels', lambda t: lambda: FT(SITE).edit(_m(), _x() * float('nan'), _y()), ValueError, 'sample 0 has non-finite pixel'),
    _edit_case('wrong image size', lambda t: lambda: FT(SITE).edit(_m(), torch.zeros(1, 3, 48, 48), _y()),
               ValueError, 'images must be float [n, 3, 32, 32] for this model, got torch.float32 (1, 3, 48, 48)'),
    _edit_case('float labels', lambda t: lambda: FT(SITE).edit(_m(), _x(), torch.tensor([3.])), ValueError, 'labels must be integer [1]'),
    _edit_case('labels of another length', lambda t: lambda: FT(SITE).edit_many(_m(), _x().repeat(2, 1, 1, 1), torch.tensor([3, 4, 5])),
               ValueError, 'labels must be integer [2], one per image'),
    _edit_case('uint8 images', lambda t: lambda: FT(SITE).edit(_m(), torch.zeros(1, 3, 32, 32, dtype=torch.uint8), _y()),
               ValueError, 'images must be float'),
    _edit_case('non-binary mask', lambda t: lambda: masked_finetune(_m(), SITE, torch.full((6, 128), .3), _x(), _y()),
               ValueError, 'mask must hold only 0s and 1s, found 0.3'),
    _edit_case('mask of the wrong shape', lambda t: lambda: batched_finetune(_m(), SITE, torch.ones(1, 6, 64), _x(), _y()),
               ValueError, 'mask has shape (6, 64), expected (6, 128)'),
    _edit_case('edit site outside the model', lambda t: lambda: FT(EditSite.ffn(12, (11, 12, 13))).edit(_m(), _x(), _y()),
               ValueError, 'block must be in [1, 12], got 13'),
    _edit_case('HPRD given keep and rho', lambda t: lambda: HPRD(SITE, None, keep=.1, rho=.5), ValueError, 'exactly one of keep'),
    Case('edit applied to another model of the same shape', lambda t: _apply_to(vit(seed=1)),
         ValueError, 'differ from the original weights this edit was made on'),
    Case('edit applied to a shallower model', lambda t: _apply_to(vit(depth=8)), ValueError, 'block must be in [1, 8], got 9'),
    Case('edit applied to a narrower model', lambda t: _apply_to(vit(mlp_ratio=2.)),
         ValueError, "blocks.7.mlp.fc1: this model's weight is (64, 32), the edit"),
    _edit_case('edit applied twice', lambda t: lambda: _twice(), ValueError, 'is already applied'),
    _edit_case('edit reverted without being applied', lambda t: lambda: _e().revert(_m()), ValueError, 'it is not applied'),
    # configs and command-line arguments
    Case('world config out of range', lambda t: lambda: WorldConfig(n_shapes=0), ValueError, 'n_shapes must be in [2, 10], got 0'),
    Case('vit config: width not a multiple of heads', lambda t: lambda: ViTConfig(embed_dim=30, num_heads=4), ValueError,
         'embed_dim (30) must be a multiple of num_heads (4)'),
    Case('edit config: zero steps', lambda t: lambda: EditConfig(max_steps=0), ValueError, 'max_steps must be in [1, inf], got 0'),
    Case('--device tpu', lambda t: lambda: run_cli('wte_reproduce', '--scale', 'tiny', '--out', t/'run', '--device', 'tpu', cwd=t),
         CliError, "device 'tpu': not one of auto, cpu, cuda, cuda:N"),
    Case('--device cuda:3', lambda t: lambda: run_cli('wte_bench', '--run', t/'run', '--device', 'cuda:3', cwd=t),
         CliError, "device 'cuda:3': this machine has"),
    Case('WTE_DEVICE=gpu', lambda t: lambda: _with_env('WTE_DEVICE', 'gpu', lambda: run_cli('wte_perf', '--only', 'eval', cwd=t)),
         CliError, "device 'gpu': not one of"),
    Case('--seed -1', lambda t: lambda: run_cli('wte_reproduce', '--scale', 'tiny', '--out', t/'run', '--seed', -1, cwd=t),
         CliError, 'wte_reproduce: error: --seed must be in [0, 4294967295], got -1'),
    Case('--scale huge', lambda t: lambda: run_cli('wte_reproduce', '--scale', 'huge', '--out', t/'run', cwd=t),
         CliError, "wte_reproduce: error: scale must be one of"),
    Case('--until bank', lambda t: lambda: run_cli('wte_reproduce', '--scale', 'tiny', '--out', t/'run', '--until', 'bank', cwd=t),
         CliError, 'wte_reproduce: error: --until must be one of models, hypernet, methods'),
    Case('--max_edits 0', lambda t: lambda: run_cli('wte_bench', '--run', t/'nowhere', '--max_edits', 0, cwd=t),
         CliError, 'wte_bench: error: --max_edits must be in [1, inf], got 0'),
    Case('--max_edits -1', lambda t: lambda: run_cli('wte_bench', '--run', t/'nowhere', '--max_edits', -1, cwd=t),
         CliError, '--max_edits must be in [1, inf], got -1'),
    Case('unknown method, before any loading', lambda t: lambda: run_cli('wte_bench', '--run', t/'nowhere', '--methods', 'HPRD,ROME2', cwd=t),
         CliError, "wte_bench: error: unknown methods ['ROME2']"),
    Case('empty --methods', lambda t: lambda: run_cli('wte_bench', '--run', t/'nowhere', '--methods', '', cwd=t),
         CliError, 'methods must name at least one of'),
    Case('--model without --weights', lambda t: lambda: run_cli('wte_bench', '--model', 'vit_base_patch16_224', cwd=t),
         CliError, '--model needs --weights, --natural, --locality'),
    Case('wte_bench on a missing run', lambda t: lambda: run_cli('wte_bench', '--run', t/'nowhere', cwd=t),
         CliError, 'nowhere/world.json: missing'),
    Case('wte_meta --seed -1', lambda t: lambda: run_cli('wte_meta', '--out', t/'run', '--seed', -1, cwd=t),
         CliError, 'wte_meta: error: --seed must be in'),
    Case('wte_meta on a missing run', lambda t: lambda: run_cli('wte_meta', '--out', t/'nowhere', cwd=t),
         CliError, 'summary.json: missing; run wte_reproduce'),
    Case('wte_meta --model without --train', lambda t: lambda: run_cli('wte_meta', '--model', 'test_vit', '--weights', t/'w.pth', '--out', t/'m', cwd=t),
         CliError, 'wte_meta: error: the real path needs --model, --weights and --train; missing --train'),
    Case('wte_meta training folder with an empty image', lambda t: (lambda w, d: lambda: run_cli(
             'wte_meta', '--model', 'test_vit', '--weights', w, '--train', d, '--out', t/'m', cwd=t))(
             _test_vit_weights(t), _train_folder(t, empty=True)),
         CliError, 'c1/empty.jpg: empty file (0 bytes); remove it or pass skip_bad'),
    Case('wte_perf --only nope', lambda t: lambda: run_cli('wte_perf', '--only', 'nope', cwd=t), CliError, "unknown figures ['nope']"),
    Case('wte_docs --nbs missing', lambda t: lambda: run_cli('wte_docs', '--nbs', t/'nowhere', '--out', t/'site', cwd=t),
         CliError, 'nowhere: no such notebooks folder'),
    # baselines
    Case('ROME on a model without mlp.fc2', lambda t: _baseline_on('ROME', lambda m: setattr(m.blocks[11].mlp, 'fc2', torch.nn.Identity())),
         ValueError, 'ROME edits blocks.11.mlp.fc2 as a Linear, but it is a Identity'),
    Case('LoRA on a model without fused qkv', lambda t: _baseline_on('LoRA', lambda m: delattr(m.blocks[3].attn, 'qkv')),
         ValueError, 'LoRA edits blocks.3.attn.qkv, which this model does not have'),
    Case('T-Patcher on a block the model lacks', lambda t: _baseline_on('T-Patcher', lambda m: None, block=13),
         ValueError, 'T-Patcher edits blocks.12.mlp.fc1, which this model does not have'),
    Case('key covariance of another base model', lambda t: after(_cov(vit(), t), lambda: _cov(vit(seed=1), t)),
         ArtifactError, 'cov.safetensors: a key covariance of another base model (fingerprint'),
    Case('weight edit applied to another model', lambda t: (lambda e, m: (lambda: e.apply(m), m))(_rome_edit(), vit(seed=1)),
         ValueError, "blocks.11.mlp.fc2.weight: the model's weights differ from the weights this edit was made on"),
    Case('truncated weight-edit file', lambda t: after(truncated(_rome_edit().save(t/'e.safetensors'), -20),
                                                       lambda: WeightEdit.load(t/'e.safetensors')),
         ArtifactError, 'e.safetensors'),
    Case('T-Patcher on the real path without --train', lambda t: after(folders_fixture(t), lambda: _folder_kit(t, None)),
         ValueError, 'T-Patcher need --train, a folder of training images'),
    Case('KE network made for another base model', lambda t: after(_ke(vit(), t), lambda: _ke(vit(seed=1), t)),
         ArtifactError, 'ke.json: made for the base model'),
    Case('--train folder missing', lambda t: after(folders_fixture(t), lambda: _folder_kit(t, t/'nowhere')),
         FileNotFoundError, 'nowhere: no such training folder'),
]

def _baseline_on(name, damage, **kw):
    "A baseline asked to edit a model missing what it edits; the model must come out unchanged."
    from where_to_edit.added import TPatcher, LoRA
    from where_to_edit.rome import ROME
    m = vit(); damage(m)
    x, y, train = torch.randn(1, 3, 32, 32), torch.tensor([3]), torch.randn(8, 3, 32, 32)
    ed = {'ROME': lambda: ROME(SITE, train), 'LoRA': lambda: LoRA(SITE), 'T-Patcher': lambda: TPatcher(SITE, train, **kw)}[name]()
    return (lambda: ed.edit(m, x, y)), m

def _cov(model, t):
    from where_to_edit.rome import key_covariance
    return key_covariance(model, torch.randn(8, 3, 32, 32), path=t/'cov.safetensors')

def _rome_edit():
    from where_to_edit.rome import ROME
    return ROME(SITE, torch.randn(8, 3, 32, 32), cfg=EditConfig(max_steps=2)).edit(vit(), torch.randn(1, 3, 32, 32), torch.tensor([3]))

def _ke(model, t):
    from where_to_edit.meta_editors import MetaEditorConfig
    from where_to_edit.train_editors import train_meta_editor
    cfg = MetaEditorConfig.preset('tiny', iterations=2)
    return train_meta_editor('KE', model, torch.randn(100, 3, 32, 32), cfg, t/'ke', progress=False)

def _folder_kit(t, train):
    from where_to_edit.methods import folder_kit
    m = vit()
    return folder_kit(t/'kit', train, m, SITE, bench_from(t), EditConfig(max_steps=2), ('T-Patcher', 'FT'))

# the module's shared model, sample and edit (set by the `made` fixture before each case)
_S = {}
_m, _x, _y, _e = (lambda: _S['m']), (lambda: _S['x']), (lambda: _S['y']), (lambda: _S['e'])

def _twice():
    with _e().applied(_m()): _e().apply(_m())

def _with_env(key, value, fn):
    was = os.environ.get(key); os.environ[key] = value
    try: return fn()
    finally:
        if was is None: del os.environ[key]
        else: os.environ[key] = was

def _limited(fn, *a):
    limit, folders.MAX_PIXELS = folders.MAX_PIXELS, 50_000
    try: return fn(*a)
    finally: folders.MAX_PIXELS = limit

def _results_case(t, write):
    "A results file written by `write`, then a Runner on it (at the tiny model, one group)."
    m, x = vit(), torch.randn(6, 3, 32, 32)
    bench = Benchmark([Group('g', 'natural', x[:2], torch.tensor([1, 2]))], x[2:])
    write(t/'r.jsonl')
    r = Runner(m, bench, SITE, t/'r.jsonl', max_edits=1)
    return lambda: r.run([FT(SITE, EditConfig(max_steps=1))], progress=False)

def _bench_case(t, damage):
    x = torch.randn(4, 3, 32, 32)
    Benchmark([Group('g', 'natural', x[:2], torch.tensor([1, 2]))], x[2:]).save(t/'b')
    damage(t/'b'/'benchmark.safetensors')
    return lambda: Benchmark.load(t/'b')

def _ckpt_case(t):
    g = MaskHypernet(32, 128, 6, depth=1); opt = torch.optim.RMSprop(g.parameters())
    save_checkpoint(t/'ckpt', g, opt, 3, {'a': 1}, [])
    (t/'ckpt.safetensors').write_bytes((t/'ckpt.safetensors').read_bytes()[:-40])
    return lambda: load_checkpoint(t/'ckpt', g, opt, {'a': 1})

def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob('*')) if p.is_file()}

def test_enough_cases(): assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)

@pytest.mark.parametrize('case', CASES, ids=lambda c: c.name)
def test_bad_input(case, tmp_path, made):
    _S.update(zip('mxye', made))
    trigger = case.setup(tmp_path)
    trigger, watched = trigger if isinstance(trigger, tuple) else (trigger, None)
    state = lambda: None if watched is None else model_fingerprint(watched)
    files, before = snapshot(tmp_path), state()
    with pytest.raises(case.error) as e: trigger()
    assert case.names in str(e.value), f"message does not name the culprit: {e.value}"
    assert snapshot(tmp_path) == files, 'files were written or changed'          # nothing partial left behind
    assert state() == before, 'the model was changed'

def test_corrupt_log_line_is_set_aside(tmp_path, made):
    "A torn or garbled line of a results log is not an error: it is kept in .corrupt, the run goes on and redoes it."
    m, x = vit(), torch.randn(6, 3, 32, 32)
    bench = Benchmark([Group('g', 'natural', x[:2], torch.tensor([1, 2]))], x[2:])
    ed = [FT(SITE, EditConfig(max_steps=1))]
    first = Runner(m, bench, SITE, tmp_path/'r.jsonl').run(ed, progress=False)
    lines = (tmp_path/'r.jsonl').read_text().splitlines()
    (tmp_path/'r.jsonl').write_text('\n'.join([lines[0], '{"editor": "FT", \x00', *lines[2:]]) + '\n')
    again = Runner(m, bench, SITE, tmp_path/'r.jsonl').run(ed, progress=False)
    assert [r['gr_hits'] for r in again] == [r['gr_hits'] for r in first]
    assert (tmp_path/'r.jsonl.corrupt').read_text().startswith('# line 2')

def test_debug_shows_the_traceback(tmp_path):
    r = cli('wte_bench', '--run', tmp_path, '--max_edits', 0, '--debug', cwd=tmp_path)
    assert r.returncode != 0 and 'Traceback' in r.stderr and 'max_edits' in r.stderr

def test_header_only_results_restart(tmp_path):
    "A results file with a header and no records (a run that failed before its first edit) never blocks the rerun."
    m, x = vit(), torch.randn(6, 3, 32, 32)
    bench = Benchmark([Group('g', 'natural', x[:2], torch.tensor([1, 2]))], x[2:])
    (tmp_path/'r.jsonl').write_text(json.dumps({'header': {'model': 'nan weights'}}) + '\n')
    assert len(Runner(m, bench, SITE, tmp_path/'r.jsonl').run([FT(SITE, EditConfig(max_steps=1))], progress=False)) == 2
    assert (tmp_path/'r.jsonl.old').exists()
