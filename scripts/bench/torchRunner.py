#!/usr/bin/env python3
# Benchmark (issue #4): runner for the Python peers — PyTorch on one thread (float32, and float64 for the parity
# check), PyTorch float32 on two threads (pytorch-2t, issue #11) and numpy min-char-rnn (W3) — speaking the
# orchestrator's line protocol (scripts/bench/protocol.ts).
# Run by bench.ts as `/usr/bin/python3 scripts/bench/torchRunner.py`; it never imports torch for the numpy runner.
import json
import os
import platform
import resource
import sys
import time

import numpy as np

MARKER = '@@bench '


def reply(message):
    sys.stdout.write(MARKER + json.dumps(message) + '\n')
    sys.stdout.flush()


def rss_kib():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def read_fixture(path):
    with open(path + '.json') as f:
        header = json.load(f)
    values = np.fromfile(path + '.bin', dtype='<f8')
    tensors = {}
    for t in header['tensors']:
        size = int(np.prod(t['shape'])) if t['shape'] else 1
        tensors[t['name']] = values[t['offset']:t['offset'] + size].reshape(t['shape'])
    return header, tensors


def blas_in_use():
    """Which BLAS library this process mapped (torch and numpy both call it), and OpenBLAS's kernel if it is OpenBLAS."""
    libraries = set()
    with open('/proc/self/maps') as maps:
        for line in maps:
            path = line.split()[-1]
            if 'blas' in os.path.basename(path) or 'mkl' in os.path.basename(path):
                libraries.add(os.path.realpath(path))
    described = ', '.join(sorted(libraries)) or 'none mapped'
    if any('openblas' in p for p in libraries):
        try:
            import ctypes
            lib = ctypes.CDLL(next(p for p in libraries if 'openblas' in p))
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_num_threads.restype = ctypes.c_int
            described += ' (OpenBLAS kernel %s, %d thread(s))' % (lib.openblas_get_corename().decode(), lib.openblas_get_num_threads())
        except (OSError, AttributeError):
            pass
    return described


# ---------------------------------------------------------------- PyTorch

def torch_regression(spec, tensors, dtype_name, threads):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    dtype = torch.float64 if dtype_name == 'float64' else torch.float32
    cls = {'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU, 'rnn': torch.nn.RNN}[spec['cell']]
    rnn = cls(spec['inputSize'], spec['hiddenSize']).to(dtype)
    head = torch.nn.Linear(spec['hiddenSize'], spec['outputSize']).to(dtype)
    with torch.no_grad():
        for name, p in rnn.named_parameters():
            p.copy_(torch.from_numpy(tensors[name]))
        head.weight.copy_(torch.from_numpy(tensors['head.weight']))
        head.bias.copy_(torch.from_numpy(tensors['head.bias']))
    x = torch.from_numpy(tensors['x']).to(dtype)   # [T, B, I]
    y = torch.from_numpy(tensors['y']).to(dtype)   # [B, 1]
    parameters = list(rnn.parameters()) + list(head.parameters())
    optimizer = torch.optim.SGD(parameters, lr=spec['learningRate'])

    def step():
        optimizer.zero_grad()
        output, _ = rnn(x)
        loss = F.mse_loss(head(output[-1]), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    detail = 'torch.nn.%s + Linear, %s, torch.set_num_threads(%d), SGD; BLAS: %s' % (cls.__name__, dtype_name, threads, blas_in_use())
    return step, detail, {'torch': torch.__version__}


def torch_character(spec, tensors, header, dtype_name, threads):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    dtype = torch.float64 if dtype_name == 'float64' else torch.float32
    V, H, T = spec['vocabulary'], spec['hiddenSize'], spec['steps']
    rnn = torch.nn.RNN(V, H, nonlinearity='tanh').to(dtype)
    head = torch.nn.Linear(H, V).to(dtype)
    with torch.no_grad():
        for name, p in rnn.named_parameters():
            p.copy_(torch.from_numpy(tensors[name]))
        head.weight.copy_(torch.from_numpy(tensors['head.weight']))
        head.bias.copy_(torch.from_numpy(tensors['head.bias']))
    text = torch.from_numpy(tensors['text'].astype(np.int64))
    parameters = list(rnn.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adagrad(parameters, lr=spec['learningRate'], eps=1e-8)
    state = {'p': 0, 'h': torch.zeros(1, 1, H, dtype=dtype)}

    def step():
        if state['p'] + T + 1 >= len(text):
            state['p'], state['h'] = 0, torch.zeros(1, 1, H, dtype=dtype)
        p = state['p']
        inputs, targets = text[p:p + T], text[p + 1:p + T + 1]
        x = F.one_hot(inputs, V).to(dtype).unsqueeze(1)        # [T, 1, V]
        optimizer.zero_grad()
        output, h = rnn(x, state['h'])
        loss = F.cross_entropy(head(output.squeeze(1)), targets, reduction='sum')
        loss.backward()
        torch.nn.utils.clip_grad_value_(parameters, spec['clip'])
        optimizer.step()
        state['h'] = h.detach()
        state['p'] = p + T
        return loss.item() / T

    detail = 'torch.nn.RNN(tanh) + Linear, one-hot input, %s, torch.set_num_threads(%d), Adagrad, clip_grad_value_; BLAS: %s' % (dtype_name, threads, blas_in_use())
    return step, detail, {'torch': torch.__version__}


# ---------------------------------------------------------------- numpy min-char-rnn (W3)

def numpy_min_char_rnn(spec, tensors):
    """
    Karpathy's min-char-rnn training loop (BSD License), float64, column vectors as in the original:
    forward and backward in one function, Adagrad with `mem` buffers, np.clip to ±5. The weights are the fixture's
    (W_xh = weight_ih_l0, W_hh = weight_hh_l0, W_hy = head.weight, b_h = bias_ih_l0 + bias_hh_l0, b_y = head.bias).
    """
    V, H, T = spec['vocabulary'], spec['hiddenSize'], spec['steps']
    learning_rate, clip = spec['learningRate'], spec['clip']
    Wxh = tensors['weight_ih_l0'].copy()
    Whh = tensors['weight_hh_l0'].copy()
    Why = tensors['head.weight'].copy()
    bh = (tensors['bias_ih_l0'] + tensors['bias_hh_l0']).reshape(H, 1).copy()
    by = tensors['head.bias'].reshape(V, 1).copy()
    data = tensors['text'].astype(np.int64).tolist()
    mWxh, mWhh, mWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    mbh, mby = np.zeros_like(bh), np.zeros_like(by)

    def lossFun(inputs, targets, hprev):
        xs, hs, ys, ps = {}, {}, {}, {}
        hs[-1] = np.copy(hprev)
        loss = 0
        for t in range(len(inputs)):
            xs[t] = np.zeros((V, 1))
            xs[t][inputs[t]] = 1
            hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)
            ys[t] = np.dot(Why, hs[t]) + by
            ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))
            loss += -np.log(ps[t][targets[t], 0])
        dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
        dbh, dby = np.zeros_like(bh), np.zeros_like(by)
        dhnext = np.zeros_like(hs[0])
        for t in reversed(range(len(inputs))):
            dy = np.copy(ps[t])
            dy[targets[t]] -= 1
            dWhy += np.dot(dy, hs[t].T)
            dby += dy
            dh = np.dot(Why.T, dy) + dhnext
            dhraw = (1 - hs[t] * hs[t]) * dh
            dbh += dhraw
            dWxh += np.dot(dhraw, xs[t].T)
            dWhh += np.dot(dhraw, hs[t - 1].T)
            dhnext = np.dot(Whh.T, dhraw)
        for dparam in [dWxh, dWhh, dWhy, dbh, dby]:
            np.clip(dparam, -clip, clip, out=dparam)
        return loss, dWxh, dWhh, dWhy, dbh, dby, hs[len(inputs) - 1]

    state = {'p': 0, 'hprev': np.zeros((H, 1))}

    def step():
        if state['p'] + T + 1 >= len(data):
            state['p'], state['hprev'] = 0, np.zeros((H, 1))
        p = state['p']
        inputs, targets = data[p:p + T], data[p + 1:p + T + 1]
        loss, dWxh, dWhh, dWhy, dbh, dby, state['hprev'] = lossFun(inputs, targets, state['hprev'])
        for param, dparam, mem in zip([Wxh, Whh, Why, bh, by], [dWxh, dWhh, dWhy, dbh, dby], [mWxh, mWhh, mWhy, mbh, mby]):
            mem += dparam * dparam
            param += -learning_rate * dparam / np.sqrt(mem + 1e-8)
        state['p'] = p + T
        return float(loss) / T

    detail = "Karpathy's min-char-rnn loop, numpy float64; BLAS: %s" % blas_in_use()
    return step, detail, {}


# ---------------------------------------------------------------- protocol

def setup(request):
    header, tensors = read_fixture(request['fixture'])
    spec = request['spec']
    implementation = request['implementation']
    threads = 1
    if implementation == 'numpy':
        if spec['kind'] != 'character':
            raise ValueError('numpy runs only the min-char-rnn workload (W3)')
        step, detail, versions = numpy_min_char_rnn(spec, tensors)
    elif implementation in ('pytorch', 'pytorch-2t', 'pytorch-f64'):
        dtype_name = 'float64' if implementation == 'pytorch-f64' else 'float32'
        # pytorch-2t's process also gets OMP/OPENBLAS_NUM_THREADS=2 from the orchestrator (bench.ts).
        threads = 2 if implementation == 'pytorch-2t' else 1
        if spec['kind'] == 'character':
            step, detail, versions = torch_character(spec, tensors, header, dtype_name, threads)
        else:
            step, detail, versions = torch_regression(spec, tensors, dtype_name, threads)
    else:
        raise ValueError('unknown implementation %r' % implementation)
    versions = dict(versions, python=platform.python_version(), numpy=np.__version__)
    return step, detail, versions, threads


def main():
    step = None
    baseline = rss_kib()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        op = request['op']
        try:
            if op == 'setup':
                baseline = rss_kib()
                step, detail, versions, threads = setup(request)
                reply({'op': 'ready', 'detail': detail, 'versions': versions, 'threads': threads})
            elif op == 'steps':
                times, losses = [], []
                for _ in range(request['count']):
                    start = time.perf_counter()
                    loss = step()
                    times.append((time.perf_counter() - start) * 1000.0)
                    losses.append(loss)
                reply({'op': 'steps', 'times': times, 'losses': losses})
            elif op == 'memory':
                reply({'op': 'memory', 'peakRssKiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 'baselineRssKiB': baseline})
            elif op == 'exit':
                return
        except Exception as error:  # reported to the orchestrator, which prints it and leaves this peer out
            reply({'op': 'error', 'message': '%s: %s' % (type(error).__name__, error)})


if __name__ == '__main__':
    main()
