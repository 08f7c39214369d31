"""The paper's setting on a hierarchical backbone, by name: a timm SwinV2 (random weights, its post-norm gains
set to 1 so that every block counts) edited at `EditSite.for_model`, its FFNs 8-10 of 12 in the third stage.
Checks that the cached prefix and the suffix give the model's logits on the device, then prints (and saves to
OUT/swin.json) the speed of the two hot paths: the meta-training inner loop (episodes per second, first order,
5 steps) and HPRD's batched masked edits through the rebuttal's input projection (edits per second).

    python scripts/swin_gpu.py --out runs/swin_gpu --device cuda        # on a GPU machine
    python scripts/swin_gpu.py --out /tmp/swin --device cpu --episodes 4 --edits 2 --steps 3   # anywhere
"""
import argparse, json, time, timm, torch
from pathlib import Path
from where_to_edit.devices import resolve_device
from where_to_edit.editors import HPRD
from where_to_edit.finetune import EditConfig
from where_to_edit.hypernet import MaskHypernet
from where_to_edit.inner import ce_loss, lowrank_inner_loop
from where_to_edit.real import STAGES_DIM
from where_to_edit.vit import EditSite, forward_prefix, forward_suffix, model_blocks

def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize(dev)

def timed(fn, dev, reps: int = 3) -> float:
    "Seconds per call of `fn` (after one warm-up call)."
    fn(); sync(dev); t0 = time.perf_counter()
    for _ in range(reps): fn()
    sync(dev)
    return (time.perf_counter() - t0) / reps

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--out', default='runs/swin_gpu'); p.add_argument('--device', default='cuda')
    p.add_argument('--model', default='swinv2_tiny_window8_256')
    p.add_argument('--episodes', type=int, default=32); p.add_argument('--edits', type=int, default=16)
    p.add_argument('--steps', type=int, default=100, help="the edits' step budget (the protocol's: 100)")
    a = p.parse_args()
    dev, out = resolve_device(a.device), Path(a.out); out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    m = timm.create_model(a.model, pretrained=False)
    for blk in model_blocks(m): torch.nn.init.ones_(blk.norm1.weight); torch.nn.init.ones_(blk.norm2.weight)
    m = m.eval().requires_grad_(False).to(dev)
    site, S = EditSite.for_model(m), m.pretrained_cfg['input_size'][-1]
    x = torch.randn(max(a.episodes, a.edits), 3, S, S, device=dev)
    with torch.no_grad():
        full, h = m(x[:4]), forward_prefix(m, x, site.first_block)
        err = (forward_suffix(m, h[:4], site.first_block) - full).abs().max().item()
    y = torch.randint(0, m.num_classes, (len(x),), device=dev)
    mask = torch.rand(a.episodes, *site.mask_shape(m), device=dev)
    loop = lambda: lowrank_inner_loop(m, site, h[:a.episodes], ce_loss(y[:a.episodes]), mask, 5, 1e-2)
    g = MaskHypernet(m.num_features, site.hidden(m), len(site), depth=5, dim=STAGES_DIM).to(dev)
    hprd = HPRD(site, g, .1, cfg=EditConfig(lr=1e-4, max_steps=a.steps, stop_loss=0.))   # every step runs
    edits = lambda: hprd.edit_many(m, x[:a.edits], y[:a.edits])
    res = {'model': a.model, 'device': str(dev), 'site': site.names[::2],
           'params': sum(q.numel() for q in m.parameters()),
           'prefix_suffix_max_abs_err': err, 'inner_loop_episodes_s': a.episodes / timed(loop, dev),
           'hprd_edits_s': a.edits / timed(edits, dev, 1), 'edit_steps': a.steps,
           'hypernet_params': sum(q.numel() for q in g.parameters()),
           'input_projection': list(g.proj.weight.shape)}
    if dev.type == 'cuda': res['peak_gib'] = torch.cuda.max_memory_allocated(dev) / 2**30
    (out/'swin.json').write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
