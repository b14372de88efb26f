#!/usr/bin/env python3
"""A phi-trainer written in PyTorch, run by qmisid-bench as an external estimator (docs/open-bench.md).

Written here independently of the bench's TypeScript trainer, from the method alone: one network phi(e) per
electron, eps = sigmoid(phi), trained on pairs through the constrained classifier
    P(same charge | e1, e2) = eps1 (1 - eps2) + eps2 (1 - eps1)        (method note, eq. 1/3)
with a weighted binary cross-entropy on the reconstructed same-charge flag (weights w; opposite-charge events
kept with probability ocKeep and weighted 1/ocKeep). An ensemble of members differing by seed and by Poisson(1)
bootstrap weights gives the spread the bench turns into per-bin errors.

Usage (the bench appends the manifest path):  python3 torch_phi.py MANIFEST
manifest.config (all optional): hidden [32, 32], epochs 20, batch 4096, lr 0.01, ensemble 4, bootstrap true,
ocKeep 0.2, onnx "path.onnx" (export the trained ensemble as an ONNX phi in the bench's input convention).
"""
import json
import math
import os
import sys

import numpy as np
import torch


def main(manifest_path):
    with open(manifest_path) as f:
        m = json.load(f)
    cfg = m.get("config", {})
    here = os.path.dirname(manifest_path)
    col = lambda name: np.fromfile(os.path.join(here, m["raw"][name]), dtype="<f8")
    n = m["n"]
    pt1, eta1, pt2, eta2, sc, w = (col(c) for c in ("pt1", "eta1", "pt2", "eta2", "sc", "w"))

    torch.set_num_threads(max(1, int(m.get("threads", 1))))
    rng = np.random.default_rng(m["seed32"])
    torch.manual_seed(m["seed32"])

    # Inputs per electron: raw (pT, eta) as float32; log pT and |eta|, standardised over both electrons,
    # happen inside the network (Phi below), so the exported ONNX graph computes exactly what was trained.
    raw1 = np.stack([pt1, eta1], axis=1).astype(np.float32)
    raw2 = np.stack([pt2, eta2], axis=1).astype(np.float32)
    both = np.concatenate([transform(raw1), transform(raw2)]).astype(np.float64)
    mean, sd = both.mean(axis=0), both.std(axis=0)
    sd[sd == 0] = 1.0

    hidden = cfg.get("hidden", [32, 32])
    epochs = int(cfg.get("epochs", 20))
    batch = int(cfg.get("batch", 4096))
    lr = float(cfg.get("lr", 0.01))
    members = int(cfg.get("ensemble", 4))
    bootstrap = bool(cfg.get("bootstrap", True))
    oc_keep = float(cfg.get("ocKeep", 0.2))

    x1 = torch.tensor(raw1)
    x2 = torch.tensor(raw2)
    y = torch.tensor(sc, dtype=torch.float32)
    sc_frac = float(np.sum(w * sc) / np.sum(w))
    # Start at the rate that reproduces the overall SC fraction: p_SC ~ 2 eps.
    bias0 = math.log(max(sc_frac / 2, 1e-6) / (1 - max(sc_frac / 2, 1e-6)))

    nets, curves = [], []
    for k in range(members):
        keep = (sc == 1) | (rng.random(n) < oc_keep)
        wk = w * np.where(sc == 1, 1.0, 1.0 / oc_keep) * keep
        if bootstrap:
            wk = wk * rng.poisson(1.0, n)
        net = Phi(mlp(2, hidden, bias0), mean, sd)
        losses = train(net, x1, x2, y, torch.tensor(wk, dtype=torch.float32), epochs, batch, lr, rng)
        nets.append(net)
        curves.append(losses)

    status, flipped = "ok", 0
    eps_members = []
    with torch.no_grad():
        for k, net in enumerate(nets):
            p1 = torch.sigmoid(net(x1)).squeeze(1).numpy().astype(float)
            p2 = torch.sigmoid(net(x2)).squeeze(1).numpy().astype(float)
            if np.median(np.concatenate([p1, p2])) > 0.5:
                # The mirror branch eps -> 1 - eps fits the pairs equally well (eq. 3); negating phi is exact.
                last = net.mlp[-1]
                last.weight.mul_(-1)
                last.bias.mul_(-1)
                p1, p2 = 1 - p1, 1 - p2
                flipped += 1
            eps_members.append((p1, p2))
    e1 = np.mean([p[0] for p in eps_members], axis=0)
    e2 = np.mean([p[1] for p in eps_members], axis=0)

    if cfg.get("onnx"):
        export_onnx(nets, mean, sd, os.path.join(here, cfg["onnx"]) if not os.path.isabs(cfg["onnx"]) else cfg["onnx"])

    out = {
        "eps1": e1.tolist(),
        "eps2": e2.tolist(),
        "members": [{"eps1": a.tolist(), "eps2": b.tolist(), "train": c} for (a, b), c in zip(eps_members, curves)],
        "resampling": "bootstrap" if bootstrap else "none",
        "status": status,
        "diagnostics": {"flippedMembers": flipped, "torch": torch.__version__},
    }
    with open(m["output"], "w") as f:
        json.dump(out, f)


def transform(raw):
    return np.stack([np.log(raw[:, 0]), np.abs(raw[:, 1])], axis=1)


def mlp(d, hidden, bias0):
    layers, prev = [], d
    for h in hidden:
        layers += [torch.nn.Linear(prev, h), torch.nn.LeakyReLU(0.01)]
        prev = h
    out = torch.nn.Linear(prev, 1)
    with torch.no_grad():
        out.bias.fill_(bias0)
    return torch.nn.Sequential(*layers, out)


def train(net, x1, x2, y, w, epochs, batch, lr, rng):
    idx = np.nonzero(w.numpy() > 0)[0]
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    steps = epochs * max(1, math.ceil(len(idx) / batch))
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    losses = []
    for _ in range(epochs):
        rng.shuffle(idx)
        total, wsum = 0.0, 0.0
        for s in range(0, len(idx), batch):
            b = torch.tensor(idx[s : s + batch])
            e1 = torch.sigmoid(net(x1[b])).squeeze(1)
            e2 = torch.sigmoid(net(x2[b])).squeeze(1)
            p = (e1 + e2 - 2 * e1 * e2).clamp(1e-12, 1 - 1e-12)
            wb = w[b]
            loss = -(wb * (y[b] * torch.log(p) + (1 - y[b]) * torch.log1p(-p))).sum() / wb.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * float(wb.sum())
            wsum += float(wb.sum())
        losses.append(total / wsum)
    return losses


class Phi(torch.nn.Module):
    """One member: raw (pt [GeV], eta) rows -> log pT, |eta| -> standardised -> MLP -> phi."""

    def __init__(self, mlp, mean, sd):
        super().__init__()
        self.mlp = mlp
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("sd", torch.tensor(sd, dtype=torch.float32))

    def forward(self, x):
        z = torch.stack([torch.log(x[:, 0]), torch.abs(x[:, 1])], dim=1)
        return self.mlp((z - self.mean) / self.sd)


class Exported(torch.nn.Module):
    """The bench's ONNX phi convention: input x [N, 2] = raw (pt [GeV], eta) of each electron; output
    phi = logit(mean over members of sigmoid(phi_k)), so sigmoid(phi) is the eps this script reports."""

    def __init__(self, nets):
        super().__init__()
        self.nets = torch.nn.ModuleList(nets)

    def forward(self, x):
        # logit(mean_k sigmoid(phi_k)) = LSE_k log sigmoid(phi_k) - LSE_k log sigmoid(-phi_k), with
        # log sigmoid(t) = -softplus(-t): exact in float32 for small eps (onnxruntime's Sigmoid kernel is an
        # approximation good to ~1e-5 relative, too coarse for a 1e-5 comparison).
        phis = torch.cat([net(x) for net in self.nets], dim=1)
        sp = torch.nn.functional.softplus
        return (torch.logsumexp(-sp(-phis), dim=1, keepdim=True) - torch.logsumexp(-sp(phis), dim=1, keepdim=True))


def export_onnx(nets, mean, sd, path):
    model = Exported(nets).eval()
    torch.onnx.export(model, torch.tensor([[40.0, 0.5]]), path, input_names=["x"], output_names=["phi"],
                      dynamic_axes={"x": {0: "n"}, "phi": {0: "n"}}, opset_version=13)


if __name__ == "__main__":
    main(sys.argv[-1])
