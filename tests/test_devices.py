"""Every stage and method on the stand-in device (`devices.StandIn`: the meta device holding real CPU data), so a
tensor left on the CPU fails here, on machines without a GPU: one ViT training epoch and its evaluation, a bank
and a few fit steps, one edit of every method and its evaluation. With `WTE_TEST_DEVICE=cuda` (`make gpu-check`)
the same tests run on the GPU instead."""
import contextlib, dataclasses, os, shutil, torch
import pytest
from where_to_edit.devices import StandIn, model_device
from where_to_edit.methods import METHODS, sweep, world_kit
from where_to_edit.runs import load_run
from where_to_edit.runner import Runner
from where_to_edit.vit import predict
from where_to_edit.train import TrainConfig, train_vit
from where_to_edit.meta_train import MetaConfig
from where_to_edit.fit import FitConfig, meta_train
from where_to_edit.bank import load_bank, world_sampler
from where_to_edit.hypernet import load_hypernet
from where_to_edit.vit import ViTConfig
from where_to_edit.weights import load_vit, save_vit

WHERE = os.environ.get('WTE_TEST_DEVICE', 'meta')
AWAY = torch.device(WHERE)
if AWAY.type == 'cuda' and AWAY.index is None: AWAY = torch.device('cuda', 0)   # where tensors say they are
away_from_cpu = StandIn if WHERE == 'meta' else contextlib.nullcontext

@pytest.fixture(scope='module')
def run_dir(tiny_run, tmp_path_factory):
    out = tmp_path_factory.mktemp('devices')/'run'
    shutil.copytree(tiny_run, out, ignore=shutil.ignore_patterns('*.jsonl', 'figures*', 'seed*'))
    return out

def one_edit_each(run_dir, results, device) -> dict:
    "One edit of the first setting of every method on one group, on `device`: {method: record}."
    run = load_run(run_dir, device=device)
    kit = world_kit(run.out/'baselines', run.world, run.base, run.site, run.bench, run.cfg, 1, 0, 'tiny',
                    ('KE', 'MEND'), False)               # the meta-trained editors; every lr its default
    first = {}
    for e in sweep(run.site, run.g, run.cfg, METHODS, run.recipe, kit): first.setdefault(e.name, e)
    bench = dataclasses.replace(run.bench, groups=run.bench.groups[:1])
    recs = Runner(run.base, bench, run.site, results, 1, protocol=run.protocol['config']).run(list(first.values()), False)
    assert model_device(run.base) == device
    return {r['editor']: r for r in recs}

def test_every_method(run_dir, tmp_path):
    with away_from_cpu(): away = one_edit_each(run_dir, tmp_path/'away.jsonl', AWAY)
    assert set(away) == set(METHODS)
    here = one_edit_each(run_dir, tmp_path/'cpu.jsonl', torch.device('cpu'))
    if WHERE == 'meta':                                   # the CPU's results (a GPU's may differ by rounding)
        # the same stop steps too: the stand-in device reads the stop rule every 8 steps, as a GPU does
        key = lambda r: (r['sr'], r['gr_hits'], r['lr_hits'], r['steps'])
        assert {m: key(r) for m, r in away.items()} == {m: key(r) for m, r in here.items()}

# bfloat16 evaluation (autocast, on by default on a GPU) against float32: edits are made in float32, so every
# SR and stop step is the same; a few GR/LR decisions on images near a class boundary may flip. Measured on the
# tiny run: 0 of 105 GR and 8 of 900 LR decisions, 2 of 300 validation predictions. Tolerance: 2 % of each.
AMP_TOLERANCE = 0.02

def test_bf16_decisions(run_dir, tmp_path, monkeypatch):
    here = one_edit_each(run_dir, tmp_path/'fp32.jsonl', torch.device('cpu'))
    monkeypatch.setenv('WTE_AMP', 'bf16')
    half = one_edit_each(run_dir, tmp_path/'bf16.jsonl', torch.device('cpu'))
    assert {m: (r['sr'], r['steps']) for m, r in half.items()} == {m: (r['sr'], r['steps']) for m, r in here.items()}
    gr = [a != b for m in here for a, b in zip(here[m]['gr_hits'], half[m]['gr_hits'])]
    lr = sum(abs(here[m]['lr_hits'] - half[m]['lr_hits']) for m in here) / sum(r['lr_n'] for r in here.values())
    assert sum(gr) <= AMP_TOLERANCE * len(gr) and lr <= AMP_TOLERANCE, (sum(gr), len(gr), lr)
    run = load_run(run_dir, until='models', device='cpu')
    val = run.world.split('val')
    bf = predict(run.base, val.images).argmax(1)
    monkeypatch.setenv('WTE_AMP', 'off')
    assert (bf == predict(run.base, val.images).argmax(1)).float().mean() >= 1 - AMP_TOLERANCE

def test_training_bank_and_fit(run_dir, tmp_path):
    with away_from_cpu():
        run = load_run(run_dir, until='models', device=AWAY)
        res = train_vit(run.base.train(), run.world.split('train'), run.world.split('val'),
                        TrainConfig.preset('tiny', epochs=1), progress=False)
        assert 0 <= res['val_acc'] <= 100
        mcfg = MetaConfig.preset('tiny', episodes=64, held_out=16, inner_lr=1e-3)
        fcfg = FitConfig.preset('tiny', iterations=4, eval_every=2, ckpt_every=2, kl_episodes=4)
        g, log, bank, recipe = meta_train(run.base.eval(), run.site, world_sampler(run.world, run.base, mcfg), mcfg, fcfg,
                                     tmp_path/'meta', progress=False)
        assert model_device(g) == AWAY and len(log) == 2
        save_vit(run.base, ViTConfig(**load_vit(run_dir/'base')[1]['config']), tmp_path/'trained')
        weights = [w.cpu() for w in g.state_dict().values()]
    # what was saved from the device loads on the CPU: the trained ViT, the hypernetwork, the bank
    base, _ = load_vit(tmp_path/'trained')
    assert model_device(base).type == 'cpu'
    here, _ = load_hypernet(tmp_path/'meta'/'hypernet', base, run.site)
    if WHERE == 'meta':
        assert all(torch.equal(a, b) for a, b in zip(weights, here.state_dict().values()))
    assert len(load_bank(base, run.site, recipe, tmp_path/'meta'/'bank')) == 64

def test_head_editors(run_dir, tmp_path):
    "The editors over heads and COAR-Edit (`heads_units.head_editors`): one edit each on the device, as on the CPU."
    from where_to_edit.heads_units import head_editors, reference_images
    def edits(device, results):
        run = load_run(run_dir, device=device)
        eds = [e for e in head_editors(run, *reference_images(run, 8), masks=32)
               if e.name != 'HeadFT random']                                 # HeadFT's code path
        bench = dataclasses.replace(run.bench, groups=run.bench.groups[:1])
        recs = Runner(run.base, bench, run.site, results, 1, protocol=run.protocol['config']).run(eds, False)
        assert model_device(run.base) == device
        return {(r['editor'], r['setting']): (r['sr'], r['gr_hits'], r['lr_hits'], r['steps']) for r in recs}
    with away_from_cpu(): away = edits(AWAY, tmp_path/'away.jsonl')
    here = edits(torch.device('cpu'), tmp_path/'cpu.jsonl')
    assert len(here) == 5
    if WHERE == 'meta': assert away == here

def test_learned_heads(run_dir):
    "The inner loop over heads and an edit of HPRD over heads (`heads_learned`): on the device, as on the CPU."
    from where_to_edit.heads_learned import HeadSite, HPRDHeads, head_inner_loop
    from where_to_edit.hypernet import MaskHypernet
    from where_to_edit.inner import ce_loss
    from where_to_edit.vit import forward_prefix
    def heads_on(device):
        run = load_run(run_dir, device=device)
        site, g0 = HeadSite(run.site.blocks), run.bench.groups[0]
        x, y = g0.x[:2].to(device), g0.y[:2].to(device)
        torch.manual_seed(0)
        g = MaskHypernet(run.base.embed_dim, site.hidden(run.base), len(site), depth=1)
        h = forward_prefix(run.base, x, site.first_block)
        mask = torch.rand(2, *site.mask_shape(run.base)).to(device)
        loss, _ = head_inner_loop(run.base, site, h, ce_loss(y), mask, 2, 1e-2)
        assert loss.device == device
        e = HPRDHeads(site, g, 2, run.cfg).edit(run.base, x[:1], y[:1])
        assert model_device(run.base) == device
        return loss.detach().cpu(), (e.info['heads'], e.info['success'], e.info['steps'])
    with away_from_cpu(): away = heads_on(AWAY)
    here = heads_on(torch.device('cpu'))
    assert torch.allclose(away[0], here[0], rtol=1e-3, atol=1e-4)
    if WHERE == 'meta': assert away[1] == here[1]

def test_swin():
    """A SwinV2's prefix, the inner loop over its last stage's FFNs and an HPRD edit through the rebuttal's input
    projection: on the device, as on the CPU."""
    from timm.models.swin_transformer_v2 import SwinTransformerV2
    from where_to_edit.editors import HPRD
    from where_to_edit.finetune import EditConfig
    from where_to_edit.hypernet import MaskHypernet
    from where_to_edit.inner import ce_loss, lowrank_inner_loop
    from where_to_edit.vit import forward_prefix, model_blocks
    from where_to_edit.swin_edit import swin_site
    def swin_on(device):
        torch.manual_seed(0)
        m = SwinTransformerV2(img_size=32, patch_size=4, window_size=4, embed_dim=16, depths=(1, 2),
                              num_heads=(1, 2), num_classes=10)
        for blk in model_blocks(m): torch.nn.init.ones_(blk.norm2.weight)   # timm starts them at 0
        m = m.eval().requires_grad_(False).to(device)
        site, g = swin_site(m), MaskHypernet(m.num_features, 128, 4, depth=1, dim=8)
        x, y = torch.randn(2, 3, 32, 32).to(device), torch.tensor([1, 2]).to(device)
        h = forward_prefix(m, x, site.first_block)
        loss, _ = lowrank_inner_loop(m, site, h, ce_loss(y), torch.rand(2, *site.mask_shape(m)).to(device), 2, .1)
        assert loss.device == device
        e = HPRD(site, g, .1, cfg=EditConfig(lr=1e-2, max_steps=5)).edit(m, x[:1], y[:1])
        assert model_device(m) == device
        return loss.detach().cpu(), (e.info['success'], e.info['steps'])
    with away_from_cpu(): away = swin_on(AWAY)
    here = swin_on(torch.device('cpu'))
    assert torch.allclose(away[0], here[0], rtol=1e-3, atol=1e-4)
    if WHERE == 'meta': assert away[1] == here[1]
