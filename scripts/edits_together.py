"""A baseline's edits made together (`edit_many`: LoRA one adapter per image, SPT one copy of the site's weights per
image, in batched passes) against the same edits made one by one (`edit`), on a scale's base model and val images it
misclassifies: seconds per edit, the steps and success of every edit, and the largest difference between the two
edits' changes. Needs the scale's base model (`wte_reproduce --scale S --until models`).

    OMP_NUM_THREADS=2 python scripts/edits_together.py --method LoRA --scale cpu --edits 16 --lr 1e-3
    OMP_NUM_THREADS=2 python scripts/edits_together.py --method SPT --scale cpu --edits 16 --lr 3e-4
"""
import argparse, time, torch
from where_to_edit.core import run_dir
from where_to_edit.world import normalize, World, WorldConfig
from where_to_edit.train import world_vit
from where_to_edit.vit import EditSite
from where_to_edit.finetune import EditConfig
from where_to_edit.added import LoRA, _LORA_MEMO
from where_to_edit.attribution import SPT

def change_values(c):
    "What a change writes: a low-rank change's product, a sparse change's new values."
    return c.tensors['u'] @ c.tensors['v'] if c.kind == 'lowrank' else c.tensors['new']

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--method', choices=('LoRA', 'SPT'), default='LoRA')
    p.add_argument('--scale', default='cpu'); p.add_argument('--edits', type=int, default=16)
    p.add_argument('--lr', type=float, default=1e-3, help="the editor's rate (LoRA: Adam's, SPT: RMSprop's)")
    p.add_argument('--setting', type=float, default=None, help='LoRA: rank (default 2); SPT: keep (default 0.1)')
    a = p.parse_args()
    world = World(WorldConfig.preset(a.scale))
    base, _ = world_vit(world, 'base', a.scale, run_dir(a.scale))
    val = world.split('val')
    xs, ys = normalize(val.images[:2048]), val.labels[:2048]
    with torch.no_grad(): wrong = (base.eval()(xs).argmax(1) != ys).nonzero()[:, 0][:a.edits]
    x, y, site = xs[wrong], ys[wrong], EditSite.ffn(len(base.blocks))
    cfg = EditConfig.preset(a.scale, lr=a.lr)
    ed = (LoRA(site, r=int(a.setting or 2), lr=a.lr, cfg=cfg) if a.method == 'LoRA'
          else SPT(site, keep=a.setting or .1, cfg=cfg))
    _LORA_MEMO.clear(); t = time.perf_counter(); many = ed.edit_many(base, x, y); tm = time.perf_counter() - t
    _LORA_MEMO.clear(); t = time.perf_counter()
    alone = [ed.edit(base, x[e:e + 1], y[e:e + 1]) for e in range(len(x))]
    ta, n = time.perf_counter() - t, len(x)
    print(f"{a.method}, {n} edits: together {tm:.1f} s ({tm / n:.3f} s per edit), one by one {ta:.1f} s "
          f"({ta / n:.3f} s per edit), {ta / tm:.1f}x")
    for k in ('steps', 'success'):
        print(f"{k}: together {[e.info[k] for e in many]}\n{' ' * len(k)}  one by one {[e.info[k] for e in alone]}")
    d = max(float((change_values(a) - change_values(b)).abs().max() / change_values(b).abs().max().clamp_min(1e-12))
            for ea, eb in zip(many, alone) for a, b in zip(ea.changes, eb.changes))
    print(f"largest difference of a change, relative to its largest entry: {d:.1e}")

if __name__ == '__main__': main()
