"""LoRA's edits made together (`LoRA.edit_many`, one adapter per image in one batched pass) against the same edits made
one by one (`LoRA.edit`), on a scale's base model and the val images it misclassifies: seconds per edit, the steps
and success of every edit, and the largest difference between the merged products. Needs the scale's base model
(`wte_reproduce --scale S --until models`).

    OMP_NUM_THREADS=2 python scripts/lora_many.py --scale cpu --edits 16 --lr 1e-3 --r 2
"""
import argparse, time, torch
from where_to_edit.core import run_dir
from where_to_edit.world import normalize, World, WorldConfig
from where_to_edit.train import world_vit
from where_to_edit.vit import EditSite
from where_to_edit.finetune import EditConfig
from where_to_edit.added import LoRA, _LORA_MEMO

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--scale', default='cpu'); p.add_argument('--edits', type=int, default=16)
    p.add_argument('--lr', type=float, default=1e-3); p.add_argument('--r', type=int, default=2)
    a = p.parse_args()
    world = World(WorldConfig.preset(a.scale))
    base, _ = world_vit(world, 'base', a.scale, run_dir(a.scale))
    val = world.split('val')
    xs, ys = normalize(val.images[:2048]), val.labels[:2048]
    with torch.no_grad(): wrong = (base.eval()(xs).argmax(1) != ys).nonzero()[:, 0][:a.edits]
    x, y = xs[wrong], ys[wrong]
    lo = LoRA(EditSite.ffn(len(base.blocks)), r=a.r, lr=a.lr, cfg=EditConfig.preset(a.scale))
    _LORA_MEMO.clear(); t = time.perf_counter(); many = lo.edit_many(base, x, y); tm = time.perf_counter() - t
    _LORA_MEMO.clear(); t = time.perf_counter()
    alone = [lo.edit(base, x[e:e + 1], y[e:e + 1]) for e in range(len(x))]
    ta = time.perf_counter() - t
    n = len(x)
    print(f"{n} edits: together {tm:.1f} s ({tm / n:.3f} s per edit), one by one {ta:.1f} s ({ta / n:.3f} s per "
          f"edit), {ta / tm:.1f}x")
    for k in ('steps', 'success'):
        print(f"{k}: together {[e.info[k] for e in many]}\n{' ' * len(k)}  one by one {[e.info[k] for e in alone]}")
    prod = lambda c: c.tensors['u'] @ c.tensors['v']
    d = max(float((prod(a) - prod(b)).abs().max() / prod(b).abs().max().clamp_min(1e-12))
            for ea, eb in zip(many, alone) for a, b in zip(ea.changes, eb.changes))
    print(f"largest difference of a merged product, relative to its largest entry: {d:.1e}")

if __name__ == '__main__': main()
