#!/usr/bin/python3
# Test fixtures: PyTorch reference values (float64) for the engine's recurrent stack, losses, optimizers and clipping.
# Run with Debian's Python, which has torch:  /usr/bin/python3 scripts/makeTorchFixtures.py  (or `npm run fixtures`).
"""
Writes test/fixtures/torch/*.json. Deterministic: every case draws from its own seeded torch.Generator, so a rerun
rewrites the same bytes. Format of every file: test/fixtures/torch/README.md.

Every recurrent case is also run through a hand-written stack (`hand_stack`, one line per equation) and the two must
agree to 1e-12 in outputs and in every gradient before anything is written. That validation is what lets us trust the
same hand-written code for the GRU variant PyTorch has no module for: reset applied BEFORE the recurrent matmul
(Cho et al. 2014, the course, tfjs), n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from fixtureJson import write_fixture  # scripts/fixtureJson.py (this folder is on sys.path when run as a script)

torch.set_default_dtype(torch.float64)
torch.use_deterministic_algorithms(True)

OUT = Path(__file__).resolve().parent.parent / 'test' / 'fixtures' / 'torch'
WEIGHT_SCALE = 0.6   # weights and biases ~ U(-0.6, 0.6): not PyTorch's default init, so nothing is trivially small
STATE_SCALE = 0.5    # h0, c0 ~ 0.5·N(0, 1): non-zero initial states
VALIDATION_TOLERANCE = 1e-12
VERSIONS = {'torch': torch.__version__, 'numpy': np.__version__, 'python': sys.version.split()[0]}


def case(name, cell, inputSize=3, hiddenSize=4, numLayers=1, bidirectional=False, batchFirst=False, T=5, B=2,
         nonlinearity='tanh', gruReset='after', bias=True, seed=0):
    config = {'cell': cell}
    if cell == 'rnn':
        config['nonlinearity'] = nonlinearity
    if cell == 'gru':
        config['gruReset'] = gruReset
    config.update(inputSize=inputSize, hiddenSize=hiddenSize, numLayers=numLayers, bidirectional=bidirectional,
                  batchFirst=batchFirst)
    if not bias:
        config['bias'] = False       # PyTorch's bias=False: no bias_ih / bias_hh at all (written only when False)
    return {'name': name, 'config': config, 'T': T, 'B': B, 'seed': seed}


# Sizes are pairwise distinct where it matters (I=3, H=4, T=5, B=2) so an axis mix-up changes a shape or the values.
RECURRENT_CASES = [
    case('rnn_tanh_l1', 'rnn', seed=101),
    case('rnn_relu_l2', 'rnn', nonlinearity='relu', numLayers=2, seed=102),
    case('rnn_tanh_bi_batchfirst', 'rnn', bidirectional=True, batchFirst=True, seed=103),
    case('gru_l1', 'gru', seed=201),
    case('gru_l2_bi', 'gru', numLayers=2, bidirectional=True, seed=202),
    case('gru_batchfirst', 'gru', batchFirst=True, seed=203),
    case('lstm_l1', 'lstm', seed=301),
    case('lstm_l2', 'lstm', numLayers=2, seed=302),
    case('lstm_l2_bi_batchfirst', 'lstm', numLayers=2, bidirectional=True, batchFirst=True, seed=303),
    case('lstm_l3_bi', 'lstm', numLayers=3, bidirectional=True, seed=304),
    # Edge cases: one time step (bidirectional, stacked: both directions see the same single step), one sequence,
    # one hidden unit (and one input feature).
    case('rnn_t1_bi_l2', 'rnn', T=1, numLayers=2, bidirectional=True, seed=111),
    case('rnn_b1', 'rnn', B=1, seed=112),
    case('rnn_h1', 'rnn', inputSize=1, hiddenSize=1, numLayers=2, seed=113),
    case('gru_t1_bi_l2', 'gru', T=1, numLayers=2, bidirectional=True, seed=211),
    case('gru_b1', 'gru', B=1, seed=212),
    case('gru_h1', 'gru', inputSize=1, hiddenSize=1, numLayers=2, seed=213),
    case('lstm_t1_bi_l2', 'lstm', T=1, numLayers=2, bidirectional=True, seed=311),
    case('lstm_b1', 'lstm', B=1, seed=312),
    case('lstm_h1', 'lstm', inputSize=1, hiddenSize=1, numLayers=2, seed=313),
    # GRU with the reset gate before the recurrent matmul: no PyTorch module, hand-written autograd (validated above).
    case('gru_before_l1', 'gru', gruReset='before', seed=401),
    case('gru_before_l2_bi', 'gru', gruReset='before', numLayers=2, bidirectional=True, seed=402),
    case('gru_before_b1_batchfirst', 'gru', gruReset='before', B=1, batchFirst=True, seed=403),
    # bias=False: the modules have weights only.
    case('rnn_nobias_l2', 'rnn', numLayers=2, bias=False, seed=501),
    case('gru_nobias_bi', 'gru', bidirectional=True, bias=False, seed=502),
    case('lstm_nobias_l2_bi_batchfirst', 'lstm', numLayers=2, bidirectional=True, batchFirst=True, bias=False, seed=503),
    case('gru_before_nobias', 'gru', gruReset='before', bias=False, seed=504),
]

GATES = {'rnn': 1, 'gru': 3, 'lstm': 4}


def directions(config):
    return 2 if config['bidirectional'] else 1


def parameter_shapes(config):
    """PyTorch's names and layouts, in PyTorch's order (named_parameters of nn.RNN/GRU/LSTM)."""
    gates, H, D = GATES[config['cell']], config['hiddenSize'], directions(config)
    shapes = {}
    for layer in range(config['numLayers']):
        layer_input = config['inputSize'] if layer == 0 else D * H
        for direction in range(D):
            suffix = f'_l{layer}' + ('_reverse' if direction == 1 else '')
            shapes['weight_ih' + suffix] = (gates * H, layer_input)
            shapes['weight_hh' + suffix] = (gates * H, H)
            if config.get('bias', True):
                shapes['bias_ih' + suffix] = (gates * H,)
                shapes['bias_hh' + suffix] = (gates * H,)
    return shapes


def uniform(shape, generator, scale):
    return (torch.rand(shape, generator=generator) * 2 - 1) * scale


# ---------------------------------------------------------------------------------------------------------------
# The hand-written stack: one time loop, cells as functions, stacking and bidirectional as loops around it.

class ReluMargin:
    """Smallest |pre-activation| seen by a ReLU: a value near 0 could flip sign under another summation order."""
    smallest = math.inf


def rnn_step(x, h, p, nonlinearity):
    """h' = act(W_ih x + b_ih + W_hh h + b_hh)."""
    pre = F.linear(x, p['w_ih'], p['b_ih']) + F.linear(h, p['w_hh'], p['b_hh'])
    if nonlinearity == 'relu':
        ReluMargin.smallest = min(ReluMargin.smallest, pre.detach().abs().min().item())
        return torch.relu(pre)
    return torch.tanh(pre)


def gru_step(x, h, p, reset):
    """
    Gate rows r, z, n (PyTorch layout).
      r = σ(W_ir x + b_ir + W_hr h + b_hr);  z = σ(W_iz x + b_iz + W_hz h + b_hz)
      after  (PyTorch): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
      before (Cho 2014): n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)
      h' = (1 − z) ⊙ n + z ⊙ h
    """
    x_r, x_z, x_n = F.linear(x, p['w_ih'], p['b_ih']).chunk(3, dim=-1)
    w_hr, w_hz, w_hn = p['w_hh'].chunk(3, dim=0)
    b_hr, b_hz, b_hn = p['b_hh'].chunk(3, dim=0) if p['b_hh'] is not None else (None, None, None)
    r = torch.sigmoid(x_r + F.linear(h, w_hr, b_hr))
    z = torch.sigmoid(x_z + F.linear(h, w_hz, b_hz))
    if reset == 'after':
        n = torch.tanh(x_n + r * F.linear(h, w_hn, b_hn))
    else:
        n = torch.tanh(x_n + F.linear(r * h, w_hn, b_hn))
    return (1 - z) * n + z * h


def lstm_step(x, h, c, p):
    """Gate rows i, f, g, o:  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')."""
    gates = F.linear(x, p['w_ih'], p['b_ih']) + F.linear(h, p['w_hh'], p['b_hh'])
    i, f, g, o = gates.chunk(4, dim=-1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c = f * c + i * g
    return o * torch.tanh(c), c


def hand_stack(config, params, x, h0, c0):
    """Returns output, hN, cN with nn.RNN/GRU/LSTM's shapes; cN is None unless LSTM."""
    cell, D = config['cell'], directions(config)
    if config['batchFirst']:
        x = x.transpose(0, 1)                                       # [T, B, I]
    T = x.shape[0]
    layer_input, h_finals, c_finals = x, [], []
    for layer in range(config['numLayers']):
        outputs = []
        for direction in range(D):
            suffix = f'_l{layer}' + ('_reverse' if direction == 1 else '')
            p = {key: params.get(name + suffix) for key, name in          # biases are None for bias=False
                 (('w_ih', 'weight_ih'), ('w_hh', 'weight_hh'), ('b_ih', 'bias_ih'), ('b_hh', 'bias_hh'))}
            index = layer * D + direction                           # h0 row: layer-major, then direction
            h = h0[index]
            c = c0[index] if cell == 'lstm' else None
            steps = [None] * T
            for t in (range(T) if direction == 0 else reversed(range(T))):
                if cell == 'rnn':
                    h = rnn_step(layer_input[t], h, p, config['nonlinearity'])
                elif cell == 'gru':
                    h = gru_step(layer_input[t], h, p, config['gruReset'])
                else:
                    h, c = lstm_step(layer_input[t], h, c, p)
                steps[t] = h
            outputs.append(torch.stack(steps))                      # [T, B, H]
            h_finals.append(h)
            c_finals.append(c)
        layer_input = torch.cat(outputs, dim=-1)                    # [T, B, D·H]
    output = layer_input.transpose(0, 1) if config['batchFirst'] else layer_input
    cN = torch.stack(c_finals) if cell == 'lstm' else None
    return output, torch.stack(h_finals), cN


def torch_module(config):
    common = dict(input_size=config['inputSize'], hidden_size=config['hiddenSize'], num_layers=config['numLayers'],
                  bidirectional=config['bidirectional'], batch_first=config['batchFirst'], bias=config.get('bias', True))
    if config['cell'] == 'rnn':
        return torch.nn.RNN(nonlinearity=config['nonlinearity'], **common)
    if config['cell'] == 'gru':
        return torch.nn.GRU(**common)
    return torch.nn.LSTM(**common)


# ---------------------------------------------------------------------------------------------------------------

def run_and_differentiate(forward, leaves, config, draws):
    """forward(leaves) → output, hN, cN; returns forward values and d(loss)/d(leaf) for every leaf."""
    for leaf in leaves.values():
        leaf.grad = None
    output, hN, cN = forward()
    loss = (output * draws['gradOutput']).sum() + (hN * draws['gradHN']).sum()
    if config['cell'] == 'lstm':
        loss = loss + (cN * draws['gradCN']).sum()
    loss.backward()
    values = {'output': output.detach(), 'hN': hN.detach()}
    if config['cell'] == 'lstm':
        values['cN'] = cN.detach()
    grads = {name: leaf.grad.detach().clone() for name, leaf in leaves.items()}
    return values, grads


def max_abs(a, b):
    assert a.shape == b.shape, (a.shape, b.shape)
    return (a - b).abs().max().item()


def recurrent_case(spec):
    config, T, B = spec['config'], spec['T'], spec['B']
    cell, H, D, L = config['cell'], config['hiddenSize'], directions(config), config['numLayers']
    generator = torch.Generator().manual_seed(spec['seed'])

    state_dict = {name: uniform(shape, generator, WEIGHT_SCALE) for name, shape in parameter_shapes(config).items()}
    x_shape = (B, T, config['inputSize']) if config['batchFirst'] else (T, B, config['inputSize'])
    out_shape = (B, T, D * H) if config['batchFirst'] else (T, B, D * H)
    x = torch.randn(x_shape, generator=generator)
    h0 = STATE_SCALE * torch.randn((L * D, B, H), generator=generator)
    c0 = STATE_SCALE * torch.randn((L * D, B, H), generator=generator) if cell == 'lstm' else None
    draws = {'gradOutput': torch.randn(out_shape, generator=generator),
             'gradHN': torch.randn((L * D, B, H), generator=generator)}
    if cell == 'lstm':
        draws['gradCN'] = torch.randn((L * D, B, H), generator=generator)

    inputs = {'x': x, 'h0': h0}
    if cell == 'lstm':
        inputs['c0'] = c0

    # The hand-written stack, on its own leaves.
    hand_leaves = {name: t.clone().requires_grad_(True) for name, t in {**inputs, **state_dict}.items()}
    hand_values, hand_grads = run_and_differentiate(
        lambda: hand_stack(config, hand_leaves, hand_leaves['x'], hand_leaves['h0'], hand_leaves.get('c0')),
        hand_leaves, config, draws)

    reset_before = cell == 'gru' and config['gruReset'] == 'before'
    if reset_before:
        values, grads, source = hand_values, hand_grads, 'hand-written torch autograd (reset before the matmul)'
        check_reset_before_differs(config, hand_leaves, hand_values, draws)
    else:
        module = torch_module(config)
        with torch.no_grad():
            for name, parameter in module.named_parameters():
                parameter.copy_(state_dict[name])
        assert sorted(n for n, _ in module.named_parameters()) == sorted(state_dict), 'parameter names differ'
        module_leaves = {'x': x.clone().requires_grad_(True), 'h0': h0.clone().requires_grad_(True)}
        if cell == 'lstm':
            module_leaves['c0'] = c0.clone().requires_grad_(True)
        module_leaves.update(dict(module.named_parameters()))

        def module_forward():
            if cell == 'lstm':
                output, (hN, cN) = module(module_leaves['x'], (module_leaves['h0'], module_leaves['c0']))
                return output, hN, cN
            output, hN = module(module_leaves['x'], module_leaves['h0'])
            return output, hN, None

        values, grads = run_and_differentiate(module_forward, module_leaves, config, draws)
        source = f'torch.nn.{type(module).__name__}'
        # Validate the hand-written stack against PyTorch's module.
        for key in values:
            error = max_abs(values[key], hand_values[key])
            assert error <= VALIDATION_TOLERANCE, f'{spec["name"]}: hand-written {key} is off by {error}'
        for key in grads:
            error = max_abs(grads[key], hand_grads[key])
            assert error <= VALIDATION_TOLERANCE, f'{spec["name"]}: hand-written grad {key} is off by {error}'

    fixture = {'name': spec['name'], 'versions': VERSIONS, 'source': source, 'seed': spec['seed'], 'config': config,
               'stateDict': state_dict, **inputs, **values, **draws, 'grads': grads}
    return fixture


def check_reset_before_differs(config, leaves, before_values, draws):
    """Guard against the 'before' path silently running the 'after' equations: the outputs must differ."""
    after_config = {**config, 'gruReset': 'after'}
    with torch.no_grad():
        output, _, _ = hand_stack(after_config, leaves, leaves['x'], leaves['h0'], None)
    assert max_abs(output, before_values['output']) > 1e-3, 'reset-before output equals reset-after output'


def gradcheck_reset_before():
    """Finite differences agree with autograd through the reset-before GRU (it has no PyTorch module to compare to)."""
    config = case('gradcheck', 'gru', inputSize=2, hiddenSize=3, numLayers=2, bidirectional=True, T=3, B=2,
                  gruReset='before')['config']
    generator = torch.Generator().manual_seed(7)
    leaves = {name: uniform(shape, generator, WEIGHT_SCALE).requires_grad_(True)
              for name, shape in parameter_shapes(config).items()}
    x = torch.randn((3, 2, 2), generator=generator).requires_grad_(True)
    h0 = torch.randn((4, 2, 3), generator=generator).requires_grad_(True)
    names = list(leaves)

    def function(x, h0, *weights):
        output, hN, _ = hand_stack(config, dict(zip(names, weights)), x, h0, None)
        return output, hN

    assert torch.autograd.gradcheck(function, (x, h0, *leaves.values()), eps=1e-6, atol=1e-8, rtol=1e-6)


# ---------------------------------------------------------------------------------------------------------------
# Losses

def sigmoid_np(v):
    return np.where(v >= 0, 1 / (1 + np.exp(-np.abs(v))), np.exp(-np.abs(v)) / (1 + np.exp(-np.abs(v))))


def loss_fixtures():
    generator = torch.Generator().manual_seed(501)
    N, C = 6, 5
    fixtures = {'versions': VERSIONS, 'crossEntropy': [], 'mse': [], 'bceWithLogits': [], 'linear': []}

    def with_grad(t):
        return t.clone().requires_grad_(True)

    # F.cross_entropy(logits [N, C], classes [N]), mean over N.
    basic = 2 * torch.randn((N, C), generator=generator)
    large = basic.clone()
    large[0, 1], large[1, 3], large[2, 0], large[3, 4] = 800.0, -800.0, 40.0, -40.0
    for name, raw in (('ce_basic', basic), ('ce_large_logits', large)):
        targets = torch.randint(0, C, (N,), generator=generator)
        logits = with_grad(raw)
        loss = F.cross_entropy(logits, targets)
        loss.backward()
        assert math.isfinite(loss.item())
        # By hand: mean of logsumexp − logit[target]; grad = (softmax − onehot) / N.
        z = raw.numpy()
        shifted = z - z.max(axis=1, keepdims=True)
        log_sum = np.log(np.exp(shifted).sum(axis=1))
        expected = np.mean(log_sum - shifted[np.arange(N), targets.numpy()])
        assert abs(expected - loss.item()) <= 1e-12 * max(1, abs(expected)), (name, expected, loss.item())
        softmax = np.exp(shifted - log_sum[:, None])
        softmax[np.arange(N), targets.numpy()] -= 1
        assert np.abs(softmax / N - logits.grad.numpy()).max() <= 1e-15
        fixtures['crossEntropy'].append({'name': name, 'reduction': 'mean', 'logits': raw, 'targets': targets.tolist(),
                                         'loss': loss.item(), 'gradLogits': logits.grad})

    # F.mse_loss(prediction, target), mean over all N·C elements.
    prediction, target = with_grad(torch.randn((N, C), generator=generator)), torch.randn((N, C), generator=generator)
    loss = F.mse_loss(prediction, target)
    loss.backward()
    difference = (prediction.detach() - target).numpy()
    assert abs(np.mean(difference ** 2) - loss.item()) <= 1e-15
    assert np.abs(2 * difference / (N * C) - prediction.grad.numpy()).max() <= 1e-15
    fixtures['mse'].append({'name': 'mse_basic', 'reduction': 'mean', 'prediction': prediction.detach(),
                            'target': target, 'loss': loss.item(), 'gradPrediction': prediction.grad})

    # F.binary_cross_entropy_with_logits(logits, targets in [0, 1]), mean over all N·C elements.
    basic = 2 * torch.randn((N, C), generator=generator)
    basic_targets = (torch.rand((N, C), generator=generator) < 0.5).double()
    extreme = basic.clone()
    extreme_targets = basic_targets.clone()
    for (row, col), value, label in (((0, 0), 800.0, 1.0), ((0, 1), 800.0, 0.0), ((1, 0), -800.0, 1.0),
                                     ((1, 1), -800.0, 0.0), ((2, 0), 40.0, 1.0), ((2, 1), 40.0, 0.0),
                                     ((3, 0), -40.0, 1.0), ((3, 1), -40.0, 0.0), ((4, 0), 800.0, 0.3),
                                     ((4, 1), -40.0, 0.7)):
        extreme[row, col], extreme_targets[row, col] = value, label
    for name, raw, targets in (('bce_basic', basic, basic_targets), ('bce_large_logits', extreme, extreme_targets)):
        logits = with_grad(raw)
        loss = F.binary_cross_entropy_with_logits(logits, targets)
        loss.backward()
        assert math.isfinite(loss.item()) and torch.isfinite(logits.grad).all()
        # By hand, the stable form: max(z, 0) − z·y + log(1 + e^(−|z|)); grad = (σ(z) − y) / (N·C).
        z, y = raw.numpy(), targets.numpy()
        expected = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
        assert abs(expected - loss.item()) <= 1e-12 * max(1, abs(expected)), (name, expected, loss.item())
        assert np.abs((sigmoid_np(z) - y) / (N * C) - logits.grad.numpy()).max() <= 1e-15
        fixtures['bceWithLogits'].append({'name': name, 'reduction': 'mean', 'logits': raw, 'targets': targets,
                                          'loss': loss.item(), 'gradLogits': logits.grad})

    # F.linear(x, W, b) = x·Wᵀ + b over the last axis, backpropagated with a given upstream gradient.
    for name, x_shape in (('linear_2d', (4, 3)), ('linear_3d', (5, 2, 3))):
        x = with_grad(torch.randn(x_shape, generator=generator))
        weight = with_grad(uniform((2, 3), generator, WEIGHT_SCALE))
        bias = with_grad(uniform((2,), generator, WEIGHT_SCALE))
        y = F.linear(x, weight, bias)
        grad_y = torch.randn(y.shape, generator=generator)
        y.backward(grad_y)
        flat_x, flat_g = x.detach().reshape(-1, 3).numpy(), grad_y.reshape(-1, 2).numpy()
        assert np.abs(flat_g.T @ flat_x - weight.grad.numpy()).max() <= 1e-14
        fixtures['linear'].append({'name': name, 'x': x.detach(), 'weight': weight.detach(), 'bias': bias.detach(),
                                   'output': y.detach(), 'gradOutput': grad_y, 'gradX': x.grad,
                                   'gradWeight': weight.grad, 'gradBias': bias.grad})
    return fixtures


# ---------------------------------------------------------------------------------------------------------------
# Optimizers and clipping

def optimizer_fixtures():
    generator = torch.Generator().manual_seed(601)
    initial = torch.randn(7, generator=generator)
    gradients = [torch.randn(7, generator=generator) for _ in range(5)]
    gradients[2][1] = 25.0              # one large gradient
    for g in gradients:
        g[6] = 0.0                      # one parameter whose gradient is always exactly zero
    runs = [
        ('sgd', torch.optim.SGD, {'lr': 0.1}),
        ('sgd_momentum', torch.optim.SGD, {'lr': 0.1, 'momentum': 0.9}),
        ('adagrad', torch.optim.Adagrad, {'lr': 0.1, 'lr_decay': 0, 'eps': 1e-10, 'initial_accumulator_value': 0}),
        ('rmsprop', torch.optim.RMSprop, {'lr': 0.01, 'alpha': 0.99, 'eps': 1e-8}),
        ('adam', torch.optim.Adam, {'lr': 0.01, 'betas': (0.9, 0.999), 'eps': 1e-8}),
    ]
    fixtures = {'versions': VERSIONS, 'params0': initial, 'grads': gradients, 'optimizers': [],
                'clipGradNorm': [], 'clipGradValue': []}
    for name, optimizer_class, options in runs:
        p = torch.nn.Parameter(initial.clone())
        optimizer = optimizer_class([p], **options)
        steps = []
        for g in gradients:
            optimizer.zero_grad()
            p.grad = g.clone()
            optimizer.step()
            steps.append(p.detach().clone())
        expected = numpy_optimizer(name, options, initial.numpy(), [g.numpy() for g in gradients])
        for step, (ours, theirs) in enumerate(zip(expected, steps)):
            error = np.abs(ours - theirs.numpy()).max()
            assert error <= 1e-14, f'{name} step {step + 1}: numpy re-derivation differs by {error}'
        fixtures['optimizers'].append({'name': name, 'torch': f'torch.optim.{optimizer_class.__name__}',
                                       'options': {k: list(v) if isinstance(v, tuple) else v
                                                   for k, v in options.items()},
                                       'steps': steps})

    # clip_grad_norm_ over several tensors at once: one global 2-norm.
    grads = [3 * torch.randn(3, generator=generator), 3 * torch.randn((2, 2), generator=generator)]
    total = math.sqrt(sum((g ** 2).sum().item() for g in grads))
    for name, max_norm in (('clip_norm_below', 1.0), ('clip_norm_above', 100.0)):
        assert (max_norm < total) == (name == 'clip_norm_below')
        parameters = [torch.nn.Parameter(torch.zeros_like(g)) for g in grads]
        for parameter, g in zip(parameters, grads):
            parameter.grad = g.clone()
        returned = torch.nn.utils.clip_grad_norm_(parameters, max_norm=max_norm, norm_type=2.0)
        assert abs(returned.item() - total) <= 1e-14 * total
        coefficient = min(max_norm / (total + 1e-6), 1.0)  # PyTorch adds 1e-6 to the norm
        for parameter, g in zip(parameters, grads):
            assert (parameter.grad - g * coefficient).abs().max().item() <= 1e-15
        fixtures['clipGradNorm'].append({'name': name, 'maxNorm': max_norm, 'normType': 2, 'grads': grads,
                                         'totalNorm': returned.item(),
                                         'clipped': [parameter.grad for parameter in parameters]})

    grads = [3 * torch.randn(5, generator=generator), 3 * torch.randn((2, 3), generator=generator)]
    parameters = [torch.nn.Parameter(torch.zeros_like(g)) for g in grads]
    for parameter, g in zip(parameters, grads):
        parameter.grad = g.clone()
    torch.nn.utils.clip_grad_value_(parameters, clip_value=2.0)
    fixtures['clipGradValue'].append({'name': 'clip_value', 'clipValue': 2.0, 'grads': grads,
                                      'clipped': [parameter.grad for parameter in parameters]})
    return fixtures


def numpy_optimizer(name, options, p, gradients):
    """The update rules written out, to confirm what the torch numbers mean (see the README)."""
    p, lr, out = p.copy(), options['lr'], []
    buffer = np.zeros_like(p)
    second = np.zeros_like(p)
    for step, g in enumerate(gradients, start=1):
        if name == 'sgd':
            p = p - lr * g
        elif name == 'sgd_momentum':
            buffer = g.copy() if step == 1 else options['momentum'] * buffer + g
            p = p - lr * buffer
        elif name == 'adagrad':
            second = second + g * g
            p = p - lr * g / (np.sqrt(second) + options['eps'])
        elif name == 'rmsprop':
            alpha = options['alpha']
            second = alpha * second + (1 - alpha) * g * g
            p = p - lr * g / (np.sqrt(second) + options['eps'])
        elif name == 'adam':
            beta1, beta2 = options['betas']
            buffer = beta1 * buffer + (1 - beta1) * g
            second = beta2 * second + (1 - beta2) * g * g
            m_hat, v_hat = buffer / (1 - beta1 ** step), second / (1 - beta2 ** step)
            p = p - lr * m_hat / (np.sqrt(v_hat) + options['eps'])
        out.append(p.copy())
    return out


# ---------------------------------------------------------------------------------------------------------------
# Writing

def write(name, fixture):
    return write_fixture(OUT, name, fixture)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    names = [spec['name'] for spec in RECURRENT_CASES]
    assert len(set(names)) == len(names) and not {'losses', 'optimizers'} & set(names)
    gradcheck_reset_before()
    total = 0
    for spec in RECURRENT_CASES:
        total += write(spec['name'], recurrent_case(spec))
    assert ReluMargin.smallest > 1e-6, f'a ReLU pre-activation is {ReluMargin.smallest}: too close to the kink'
    total += write('losses', loss_fixtures())
    total += write('optimizers', optimizer_fixtures())
    print(f'wrote {len(RECURRENT_CASES)} recurrent cases + losses + optimizers to {OUT} ({total} bytes), '
          f'torch {torch.__version__}; hand-written stack matches torch.nn to {VALIDATION_TOLERANCE}; '
          f'smallest |ReLU pre-activation| {ReluMargin.smallest:.3g}')
    assert total < 2_000_000


if __name__ == '__main__':
    main()
