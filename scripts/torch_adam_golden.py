#!/usr/bin/python3
"""Golden values for graph/adam_test.go: torch.optim.Adam and SparseAdam, lr 1e-3, 3 steps.

Run: /usr/bin/python3 scripts/torch_adam_golden.py
"""
import torch

torch.set_printoptions(precision=10)
w = torch.tensor([0.5, -0.3, 0.1], requires_grad=True)
opt = torch.optim.Adam([w], lr=1e-3)
for g in ([0.2, -1.0, 0.0], [0.1, 0.5, 3.0], [-0.4, 0.0, 1e-4]):
    opt.zero_grad()
    w.grad = torch.tensor(g)
    opt.step()
    print("dense", [f"{x:.9g}" for x in w.detach().tolist()])

E = torch.nn.Embedding(4, 2, sparse=True)
with torch.no_grad():
    E.weight.copy_(torch.tensor([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]]))
opt = torch.optim.SparseAdam(E.parameters(), lr=1e-3)
# step 1 touches rows 0 and 2 (row 2 twice), step 2 touches row 0 only.
for ids, gout in (([0, 2, 2], [[1.0, -2.0], [0.5, 0.5], [0.25, 0.0]]), ([0], [[-1.0, 0.3]])):
    opt.zero_grad()
    out = E(torch.tensor(ids))
    out.backward(torch.tensor(gout))
    opt.step()
    print("sparse", [f"{x:.9g}" for x in E.weight.detach().flatten().tolist()])
