"Impossible configs and broken weight files raise errors that name the field or the file."
import numpy as np, pytest, torch
from safetensors.torch import save_file
from where_to_edit.world import World, WorldConfig
from where_to_edit.vit import ViTConfig, EditSite, create_vit, load_weights, WeightsError, state_dict_to_npz

@pytest.mark.parametrize('kw,msg', [
    (dict(n_shapes=0), 'n_shapes must be in [2, 10], got 0'),
    (dict(n_textures=0), 'n_textures must be in [1, 6], got 0'),
    (dict(img_size=4), 'img_size must be in [16, 512], got 4'),
    (dict(n_train=0), 'n_train must be in [1, inf], got 0'),
])
def test_world_config(kw, msg):
    with pytest.raises(ValueError, match=msg.replace('[', r'\[').replace(']', r'\]')): WorldConfig(**kw)

@pytest.mark.parametrize('kw,msg', [
    (dict(img_size=32, patch_size=5), 'img_size (32) must be a multiple of patch_size (5)'),
    (dict(num_classes=0), 'num_classes must be in [2, inf], got 0'),
    (dict(embed_dim=30, num_heads=4), 'embed_dim (30) must be a multiple of num_heads (4)'),
])
def test_vit_config(kw, msg):
    with pytest.raises(ValueError) as e: ViTConfig(**kw)
    assert msg in str(e.value)

def test_edit_block_outside_model():
    m = create_vit(ViTConfig(depth=6, embed_dim=16, num_heads=2))
    with pytest.raises(ValueError, match=r'block must be in \[1, 6\], got 8'): EditSite.ffn(12).check(m)

@pytest.fixture
def small():
    torch.manual_seed(0)
    return ViTConfig(embed_dim=16, num_heads=2, depth=2, num_classes=5)

def test_missing_weights(tmp_path, small):
    with pytest.raises(FileNotFoundError, match='absent.safetensors'): load_weights(create_vit(small), tmp_path/'absent.safetensors')

def test_truncated_weights(tmp_path, small):
    m = create_vit(small); p = tmp_path/'w.safetensors'
    save_file(m.state_dict(), str(p)); p.write_bytes(p.read_bytes()[:-100])
    before = {k: v.clone() for k, v in m.state_dict().items()}
    with pytest.raises(WeightsError, match='w.safetensors: unreadable or truncated'): load_weights(m, p)
    assert all(torch.equal(before[k], v) for k, v in m.state_dict().items())   # the model is untouched

def test_truncated_npz(tmp_path, small):
    m = create_vit(small); p = tmp_path/'w.npz'
    np.savez(p, **state_dict_to_npz(m.state_dict(), small.depth, small.num_heads)); p.write_bytes(p.read_bytes()[:-200])
    with pytest.raises(WeightsError, match='w.npz'): load_weights(m, p)

def test_other_architecture(tmp_path, small):
    p = tmp_path/'w.safetensors'
    save_file(create_vit(small).state_dict(), str(p))
    other = create_vit(ViTConfig(embed_dim=16, num_heads=2, depth=2, num_classes=7))
    with pytest.raises(WeightsError, match=r"w.safetensors: tensor 'head.weight' has shape \(5, 16\), model expects \(7, 16\)"):
        load_weights(other, p)

def test_pickle_refused(tmp_path, small):
    p = tmp_path/'w.pth'
    torch.save({'state_dict': create_vit(small).state_dict(), 'evil': object()}, p)
    with pytest.raises(WeightsError, match='w.pth'): load_weights(create_vit(small), p)
