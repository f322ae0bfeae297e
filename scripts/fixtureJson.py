"""Writing reference fixtures as JSON, shared by makeTorchFixtures.py and makeNumpyFixtures.py.

Every double is written with repr (exact); one top-level key per line keeps diffs small.
"""
import json


def plain(value):
    """Tensors and arrays to nested lists (tolist keeps every double exactly), numpy scalars to Python numbers."""
    if hasattr(value, 'tolist') and not isinstance(value, (list, tuple, dict)):
        return value.tolist()  # torch.Tensor, np.ndarray, np.floating, np.integer
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def write_fixture(directory, name, fixture):
    """Writes directory/name.json; refuses unless it reads back exactly. Returns its size in bytes."""
    fixture = plain(fixture)
    lines = [f'  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}' for key, value in fixture.items()]
    text = '{\n' + ',\n'.join(lines) + '\n}\n'
    assert json.loads(text) == fixture, f'{name}: JSON round trip is not exact'
    path = directory / f'{name}.json'
    path.write_text(text, encoding='utf-8')
    return path.stat().st_size
