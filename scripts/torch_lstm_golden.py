#!/usr/bin/python3
"""Golden outputs and gradients of torch.nn.LSTM for graph/lstm's tests.

Writes graph/lstm/testdata/torch_lstm_golden.json. Run from the repository root:

    /usr/bin/python3 scripts/torch_lstm_golden.py

Each case draws inputs and weights in float32 (so the Go float32 path sees exactly
the same numbers), then runs PyTorch in float64, so the golden values are the exact
function of those inputs up to float64 rounding. The loss is sum(output * dout), so
the gradients are those of the output against the upstream gradient dout.

Layout matches graph/lstm: x is batch-major (row b*T+t), wx = weight_ih.T (D, 4H),
wh = weight_hh.T (H, 4H), bias = bias_ih + bias_hh, gate order i|f|g|o.
Masked cases use right padding and pack_padded_sequence, PyTorch's masked LSTM:
padded outputs are 0, the forward last state is the state after the last real token,
the reverse direction starts at the last real token.
"""
import json
import os

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def case(name, B, T, D, H, reverse, output, lengths, seed):
    g = torch.Generator().manual_seed(seed)
    lstm = torch.nn.LSTM(D, H, batch_first=True, bidirectional=reverse).double()
    with torch.no_grad():
        for p in lstm.parameters():
            p.copy_((torch.rand(p.shape, generator=g, dtype=torch.float32) * 1.6 - 0.8).double())
    x = (torch.rand(B, T, D, generator=g, dtype=torch.float32) * 2 - 1).double().requires_grad_()
    lens = torch.tensor(lengths)
    packed = pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
    out_packed, (hn, _) = lstm(packed)
    out, _ = pad_packed_sequence(out_packed, batch_first=True, total_length=T)  # (B, T, dirs*H)
    d = 1 if reverse else 0
    if output == "all":
        y = out[:, :, d * H:(d + 1) * H]
    else:
        y = hn[d]
    dout = (torch.rand(y.shape, generator=g, dtype=torch.float32) * 2 - 1).double()
    (y * dout).sum().backward()
    sfx = "_reverse" if reverse else ""
    w_ih = getattr(lstm, "weight_ih_l0" + sfx)
    w_hh = getattr(lstm, "weight_hh_l0" + sfx)
    b_ih = getattr(lstm, "bias_ih_l0" + sfx)
    b_hh = getattr(lstm, "bias_hh_l0" + sfx)
    mask = (torch.arange(T)[None, :] < lens[:, None]).double()
    flat = lambda t: t.detach().reshape(-1).tolist()
    return {
        "name": name, "B": B, "T": T, "D": D, "H": H, "reverse": reverse, "output": output,
        "lengths": lengths,
        "x": flat(x), "mask": flat(mask),
        "wx": flat(w_ih.t()), "wh": flat(w_hh.t()), "bias": flat(b_ih + b_hh),
        "dout": flat(dout), "out": flat(y),
        "dx": flat(x.grad), "dwx": flat(w_ih.grad.t()), "dwh": flat(w_hh.grad.t()),
        "dbias": flat(b_ih.grad),  # equals bias_hh.grad
    }


cases = []
seed = 1
for reverse in (False, True):
    for output in ("all", "last"):
        for masked, lengths in ((False, [4, 4, 4]), (True, [4, 2, 1])):
            name = "%s_%s%s" % ("reverse" if reverse else "forward", output, "_masked" if masked else "")
            cases.append(case(name, 3, 4, 5, 3, reverse, output, lengths, seed))
            seed += 1
cases.append(case("forward_all_wide", 2, 3, 6, 8, False, "all", [3, 3], seed))
cases.append(case("reverse_last_wide_masked", 2, 3, 6, 8, True, "last", [2, 3], seed + 1))

path = os.path.join(os.path.dirname(__file__), "..", "graph", "lstm", "testdata", "torch_lstm_golden.json")
with open(path, "w") as f:
    # One case per line keeps diffs readable.
    head = json.dumps({"generator": "/usr/bin/python3 scripts/torch_lstm_golden.py", "torch": torch.__version__})
    f.write(head[:-1] + ', "cases": [\n' + ",\n".join(json.dumps(c) for c in cases) + "\n]}\n")
print("wrote %d cases to %s" % (len(cases), os.path.normpath(path)))
