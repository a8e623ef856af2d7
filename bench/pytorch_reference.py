#!/usr/bin/python3
"""PyTorch reference for `model-ops bench`: the same networks, optimiser and batch size.

Run with Debian's interpreter (`/usr/bin/python3`, python3-torch 1.13); nothing else is needed.

Architectures (module names = model-ops node ids, so weights map one to one):
  fashion-vgg  28x28x1: features.0 conv3x3 32 (no bias), .1 BN, .2 ReLU, .3 conv 32, .4 BN, .5 ReLU,
               .6 maxpool 2, .7 conv 64 ... .13 maxpool 2, .14 conv 128, .15 BN, .16 ReLU,
               avgpool AdaptiveAvgPool2d(1), flatten, classifier Linear(128, classes)
  resnet56     CIFAR ResNet (fb.resnet.torch port): conv1/bn1/relu, layer1..3 x 9 BasicBlocks
               (16/32/64, 1x1 conv + BN projection where the shape changes), AvgPool2d(8), fc
Initialisation (speed mode) as model-ops' Initializer: conv Kaiming normal (fan_out, ReLU),
BN gamma 1 / beta 0, linear PyTorch default. Optimiser: SGD lr, momentum 0.9, Nesterov,
weight decay 5e-4 on every parameter (as model-ops' flat SgdOptimizer). Loss: mean cross-entropy.

Modes
  speed   synthetic data; warm-up steps, then --windows windows of --steps steps; prints one JSON
          object with per-window images/s.
  serve   the same, driven over stdin by the Java bench so both frameworks alternate windows in
          one invocation: reads lines `warmup K` / `window K` / `quit`, answers one JSON line each.
          With --weights DIR (a weights/ directory model-ops wrote for a pruned network), every
          conv, BN and linear layer takes the exported shape and values: the same pruned network.
  check   loads model-ops' exported weights and batches (--dir, format below), trains the same
          batches, prints per-step losses as JSON and writes its tensors after the first and
          the last step to --out/step1 and --out/final.

Tensor directory format (written by model-ops' `TensorDir`): `index.json` =
  {"format": "model-ops-tensors", "version": 1, "dtype": "float32", "byteOrder": "little",
   "tensors": [{"name": "features.0.weight", "shape": [32, 1, 3, 3], "file": "features.0.weight.f32"}, ...]}
with each file the raw little-endian float32 values in C order (labels: int32, dtype "int32").
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- architectures
class FashionVgg(nn.Module):
    CFG = [32, 32, "M", 64, 64, "M", 128]

    def __init__(self, num_classes=10, widths=None):
        super().__init__()
        layers = []
        cin = 1
        wi = 0
        for v in self.CFG:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                w = widths[wi] if widths else v
                wi += 1
                layers += [nn.Conv2d(cin, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
                cin = w
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        residual = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            residual = self.downsample(x)
        out += residual
        return F.relu(out)


class CifarResNet(nn.Module):
    def __init__(self, depth=56, num_classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU(inplace=True)
        inplanes = 16
        for s, planes in enumerate([16, 32, 64]):
            blocks = []
            for i in range(n):
                stride = 2 if s > 0 and i == 0 else 1
                blocks.append(BasicBlock(inplanes, planes, stride))
                inplanes = planes
            setattr(self, "layer%d" % (s + 1), nn.Sequential(*blocks))
        self.avgpool = nn.AvgPool2d(8)
        self.fc = nn.Linear(inplanes, num_classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = self.avgpool(x)
        return self.fc(torch.flatten(x, 1))


ARCHS = {
    "fashion-vgg": (lambda: FashionVgg(10), (1, 28, 28)),
    "resnet56": (lambda: CifarResNet(56, 10), (3, 32, 32)),
}


def init_like_model_ops(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


# ---------------------------------------------------------------- tensor directory
def read_dir(path):
    with open(os.path.join(path, "index.json")) as f:
        index = json.load(f)
    if index.get("format") != "model-ops-tensors" or index.get("version") != 1:
        raise SystemExit("unsupported tensor directory %s: %r" % (path, {k: index.get(k) for k in ("format", "version")}))
    out = {}
    for t in index["tensors"]:
        dtype = torch.int32 if t.get("dtype", index["dtype"]) == "int32" else torch.float32
        with open(os.path.join(path, t["file"]), "rb") as f:
            raw = bytearray(f.read())
        out[t["name"]] = torch.frombuffer(raw, dtype=dtype).reshape(t["shape"]).clone()
    return index, out


def write_dir(path, tensors):
    os.makedirs(path, exist_ok=True)
    entries = []
    for name, t in tensors.items():
        t = t.detach().to(torch.float32).contiguous()
        fname = name + ".f32"
        with open(os.path.join(path, fname), "wb") as f:
            f.write(t.numpy().astype("<f4").tobytes())
        entries.append({"name": name, "shape": list(t.shape), "file": fname})
    with open(os.path.join(path, "index.json"), "w") as f:
        json.dump({"format": "model-ops-tensors", "version": 1, "dtype": "float32", "byteOrder": "little",
                   "tensors": entries}, f)


def resize_to(model, weights):
    """Rebuilds every conv, batch norm and linear layer whose exported weight has another shape
    (a model that model-ops pruned), then loads the exported tensors."""
    for name, m in list(model.named_modules()):
        key = name + ".weight"
        if key not in weights or tuple(m.weight.shape) == tuple(weights[key].shape):
            continue
        shape = tuple(weights[key].shape)
        if isinstance(m, nn.Conv2d):
            new = nn.Conv2d(shape[1] * m.groups, shape[0], m.kernel_size, m.stride, m.padding,
                            bias=m.bias is not None, groups=m.groups)
        elif isinstance(m, nn.BatchNorm2d):
            new = nn.BatchNorm2d(shape[0], eps=m.eps, momentum=m.momentum)
        elif isinstance(m, nn.Linear):
            new = nn.Linear(shape[1], shape[0], bias=m.bias is not None)
        else:
            raise SystemExit("cannot resize %s (%s) to %s" % (name, type(m).__name__, shape))
        parent, _, child = name.rpartition(".")
        setattr(model.get_submodule(parent) if parent else model, child, new)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit("weight names differ: missing %s, unexpected %s" % (missing, unexpected))


# ---------------------------------------------------------------- training
def make_optimizer(model, lr):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True, weight_decay=5e-4)


def step(model, opt, loss_fn, x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss


class SpeedRunner:
    def __init__(self, arch, batch, lr, seed, weights=None):
        torch.manual_seed(seed)
        build, shape = ARCHS[arch]
        self.model = build()
        init_like_model_ops(self.model)
        if weights:
            resize_to(self.model, read_dir(weights)[1])
        self.model.train()
        self.opt = make_optimizer(self.model, lr)
        self.loss_fn = nn.CrossEntropyLoss()
        self.batch = batch
        g = torch.Generator().manual_seed(seed)
        self.data = [(torch.randn((batch,) + shape, generator=g), torch.randint(0, 10, (batch,), generator=g))
                     for _ in range(4)]
        self.i = 0

    def run(self, steps):
        t0 = time.perf_counter()
        for _ in range(steps):
            x, y = self.data[self.i % len(self.data)]
            self.i += 1
            step(self.model, self.opt, self.loss_fn, x, y)
        dt = time.perf_counter() - t0
        return {"steps": steps, "seconds": dt, "images_per_s": steps * self.batch / dt}


def mode_speed(a):
    r = SpeedRunner(a.arch, a.batch, a.lr, a.seed, a.weights)
    r.run(a.warmup)
    windows = [r.run(a.steps)["images_per_s"] for _ in range(a.windows)]
    s = sorted(windows)
    print(json.dumps({"framework": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "arch": a.arch, "batch": a.batch, "windows": windows, "median": s[len(s) // 2],
                      "min": s[0], "max": s[-1]}))


def mode_serve(a):
    r = SpeedRunner(a.arch, a.batch, a.lr, a.seed, a.weights)
    params = sum(p.numel() for p in r.model.parameters())
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "params": params,
                      "mkldnn": torch.backends.mkldnn.is_available()}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        res = r.run(int(parts[1]))
        res["kind"] = parts[0]
        print(json.dumps(res), flush=True)


def mode_check(a):
    index, weights = read_dir(os.path.join(a.dir, "weights"))
    _, batches = read_dir(os.path.join(a.dir, "batches"))
    build, _ = ARCHS[a.arch]
    model = build()
    sd = model.state_dict()
    missing = [k for k in sd if not k.endswith("num_batches_tracked") and k not in weights]
    extra = [k for k in weights if k not in sd]
    if missing or extra:
        raise SystemExit("weight names differ: missing %s, unexpected %s" % (missing, extra))
    for k, v in weights.items():
        if tuple(sd[k].shape) != tuple(v.shape):
            raise SystemExit("shape of %s: model %s, file %s" % (k, tuple(sd[k].shape), tuple(v.shape)))
    model.load_state_dict(weights, strict=False)
    if a.double:
        model.double()
        batches = {k: (v.double() if v.dtype == torch.float32 else v) for k, v in batches.items()}
    if a.variant == "channels-last":
        model = model.to(memory_format=torch.channels_last)
    model.train()
    opt = make_optimizer(model, a.lr)
    loss_fn = nn.CrossEntropyLoss()
    n = len([k for k in batches if k.startswith("x.")])
    losses = []
    def dump(where):
        if a.out:
            write_dir(os.path.join(a.out, where),
                      {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")})

    for i in range(n):
        x = batches["x.%d" % i]
        y = batches["y.%d" % i].to(torch.int64)
        if a.variant == "reversed-batch":
            x, y = x.flip(0), y.flip(0)
        elif a.variant == "channels-last":
            x = x.contiguous(memory_format=torch.channels_last)
        losses.append(float(step(model, opt, loss_fn, x, y).item()))
        if i == 0:
            dump("step1")
    dump("final")
    print(json.dumps({"framework": "pytorch", "arch": a.arch, "losses": losses}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", choices=["speed", "serve", "check"], default="speed")
    p.add_argument("--arch", choices=sorted(ARCHS), default="fashion-vgg")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--dir", help="check mode: directory with weights/ and batches/ from model-ops")
    p.add_argument("--out", help="check mode: write the trained tensors here")
    p.add_argument("--weights", help="speed and serve modes: a weights/ directory from model-ops; layers take its "
                                     "shapes (a pruned model) and values")
    p.add_argument("--variant", choices=["none", "reversed-batch", "channels-last"], default="none",
                   help="check mode: the same steps with another float32 summation order (each batch reversed: the "
                        "mean loss and the batch statistics do not depend on the order; or channels-last tensors), "
                        "to see how far float32 rounding alone spreads the trajectories")
    p.add_argument("--double", action="store_true", help="check mode: compute in float64 (a reference for float32 noise)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    {"speed": mode_speed, "serve": mode_serve, "check": mode_check}[a.mode](a)


if __name__ == "__main__":
    main()
