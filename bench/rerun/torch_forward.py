"""`npm run bench -- rerun`, PyTorch side: builds tllib-layout classifiers (ResNet-50 at 224x224, LeNet at 32x32),
writes their state_dicts and the input tensors to OUTDIR for dann-doctor to rebuild, and times PyTorch CPU's eval
forward on the same tensors with 1 thread, torch's default thread count and one thread per core. Prints one JSON line.
Usage: /usr/bin/python3 bench/rerun/torch_forward.py OUTDIR RESNET_ROWS LENET_ROWS REPS
"""
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch
from torchvision.models.resnet import Bottleneck

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('make', os.path.join(here, '../../fixtures/rerun-net/make.py'))
make = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make)

out, resnet_rows, lenet_rows, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out, exist_ok=True)
default_threads = torch.get_num_threads()
# torch's default may be pinned to 1 (OMP_NUM_THREADS): time every core as well
thread_counts = sorted({1, default_threads, os.cpu_count() or 1})
torch.manual_seed(0)
models = {
    # tllib's Office-31 setting: ResNet-50, bottleneck 256, 31 classes
    'resnet50': (make.Classifier(make.TllibResNet(Bottleneck, [3, 4, 6, 3]), 31, bottleneck_dim=256), (3, 224, 224), resnet_rows),
    # tllib's LeNet widths at 32x32 (its Linear then takes 50*5*5 = 1250 inputs), no pool as tllib's digit runs
    'lenet32': (make.Classifier(make.LeNet(20, 50, 500, flat=50 * 5 * 5), 10, bottleneck_dim=256, no_pool=True), (1, 32, 32), lenet_rows),
}
result = {'torch': torch.__version__, 'default_threads': default_threads, 'thread_counts': thread_counts, 'models': {}}
for name, (model, (c, h, w), rows) in models.items():
    model.eval()
    x = torch.randn(rows, c, h, w)
    torch.save(model.state_dict(), os.path.join(out, f'{name}.pth'))
    np.save(os.path.join(out, f'{name}.x.npy'), x.numpy())
    timings = {}
    for threads in thread_counts:
        torch.set_num_threads(threads)
        with torch.no_grad():
            model(x[:2])  # warm-up
            best = float('inf')
            for _ in range(reps):
                t = time.perf_counter()
                model(x)
                best = min(best, time.perf_counter() - t)
        timings[str(threads)] = rows / best
    result['models'][name] = {'input': [c, h, w], 'rows': rows, 'images_per_s': timings}
print(json.dumps(result))
