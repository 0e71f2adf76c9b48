"""Side-by-side PyTorch baselines for `npm run bench:train` (run by bench/train-bench.ts).

Trains the three models that issue 4 sets targets for, on one thread, each for a fixed time on one fixed
random batch (as the tfjs bench does), and prints one JSON object: samples/s per case from the median
step time.
- dense: 140-64-16-64-140 (ReLU hidden layers), MSE, Adam, batch 256
- lstm: LSTM encoder-decoder, T=32, 4 features, 32 units (encoder's last h repeated over T, decoder LSTM,
  per-step Linear back to 4 channels), MSE, Adam, batch 128
- conv1d: 4-layer 1-D conv AE on 140-sample rows (Conv1d 1->32 k7 s2, 32->16 k7 s2, upsample, 16->32 k7,
  upsample, 32->1 k7; 'same' padding), MSE, Adam, batch 128
Usage: train_baselines.py [seconds per case, default 3] [case ...] (default: all three), or
train_baselines.py --serve: reads lines "case seconds" on stdin and answers each with one JSON line of step
times (models stay built and warm between requests, so a caller can interleave short slices with its own).
Exits 3 when torch is missing.
"""
import json
import sys
import time

try:
    import torch
    from torch import nn
except ImportError as e:  # pragma: no cover
    print(json.dumps({"missing": str(e)}))
    sys.exit(3)

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
torch.manual_seed(0)


class Dense(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(140, 64), nn.ReLU(), nn.Linear(64, 16), nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 140))

    def forward(self, x):
        return self.net(x)


class LstmAe(nn.Module):
    def __init__(self, features=4, units=32):
        super().__init__()
        self.enc = nn.LSTM(features, units, batch_first=True)
        self.dec = nn.LSTM(units, units, batch_first=True)
        self.out = nn.Linear(units, features)

    def forward(self, x):
        _, (h, _) = self.enc(x)
        code = h[-1].unsqueeze(1).expand(-1, x.shape[1], -1)
        y, _ = self.dec(code)
        return self.out(y)


class Conv1dAe(nn.Module):
    def __init__(self, f1=32, f2=16, k=7):
        super().__init__()
        p = k // 2
        self.e1 = nn.Conv1d(1, f1, k, stride=2, padding=p)
        self.e2 = nn.Conv1d(f1, f2, k, stride=2, padding=p)
        self.d1 = nn.Conv1d(f2, f1, k, padding=p)
        self.d2 = nn.Conv1d(f1, 1, k, padding=p)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")

    def forward(self, x):  # x [N, 140]
        h = torch.relu(self.e1(x.unsqueeze(1)))
        h = torch.relu(self.e2(h))
        h = torch.relu(self.d1(self.up(h)))
        return self.d2(self.up(h)).squeeze(1)


def stepper(model, x):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), x)
        loss.backward()
        opt.step()

    # At least 1 s of warm-up: PyTorch's LSTM runs its first steps ~6x slower than the steady state.
    timed(step, 1.0, 3)
    return step


def timed(step, seconds, min_steps):
    times = []
    t = time.perf_counter()
    while time.perf_counter() - t < seconds or len(times) < min_steps:
        s = time.perf_counter()
        step()
        times.append(time.perf_counter() - s)
    return times


def measure(model, x, seconds):
    step = stepper(model, x)
    times = []
    t = time.perf_counter()
    while time.perf_counter() - t < seconds or len(times) < 5:
        s = time.perf_counter()
        step()
        times.append(time.perf_counter() - s)
    # The median step: robust to other processes' bursts on a shared machine (the tfjs bench does the same).
    median = sorted(times)[len(times) // 2]
    return {"samples_per_s": x.shape[0] / median, "ms_per_step": 1000 * median, "steps": len(times), "batch": x.shape[0]}


CASES = {
    "dense": lambda: (Dense(), torch.randn(256, 140)),
    "lstm": lambda: (LstmAe(), torch.randn(128, 32, 4)),
    "conv1d": lambda: (Conv1dAe(), torch.randn(128, 140)),
}


def serve():
    steppers = {}
    print(json.dumps({"ready": True, "versions": {"torch": torch.__version__, "threads": torch.get_num_threads()}}), flush=True)
    for line in sys.stdin:
        name, seconds = line.split()
        if name not in steppers:
            model, x = CASES[name]()
            steppers[name] = (stepper(model, x), x.shape[0])
        step, batch = steppers[name]
        times = timed(step, float(seconds), 1)
        print(json.dumps({"name": name, "batch": batch, "times_ms": [1000 * t for t in times]}), flush=True)


def main():
    if sys.argv[1:2] == ["--serve"]:
        serve()
        return
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    names = sys.argv[2:] or list(CASES)
    out = {name: measure(*CASES[name](), seconds) for name in names}
    out["versions"] = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
