"""The same replay as src/replay/game.ts in PyTorch (CPU): bottleneck + head + tllib DomainDiscriminator trained
on frozen backbone features with tllib's GRL warm-up, SGD(nesterov) and LambdaLR, compressed onto N steps.
Used by `npm run bench -- replay` for the speed ratio and as an independent reference for the directions.
Input: a JSON job on stdin {npz, variants:[config...], iterations, seeds}; output: one JSON line per trial."""
import json, math, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(json.loads(sys.argv[1]) if len(sys.argv) > 1 else 1))
job = json.load(sys.stdin)
z = np.load(job['npz'])
def pick(dom, roles):
    for p in {'source': ['source', 'src', 's'], 'target': ['target', 'tgt', 't']}[dom]:
        for r in roles:
            if f'{p}_{r}' in z.files: return z[f'{p}_{r}']
sx = pick('source', ['backbone_features', 'features']).astype(np.float32); sy = pick('source', ['labels']).astype(np.int64)
tx = pick('target', ['backbone_features', 'features']).astype(np.float32); ty = pick('target', ['labels']).astype(np.int64)
C = int(max(sy.max(), ty.max()) + 1)
rng = np.random.default_rng(0)
def split(x, y):
    idx = rng.permutation(len(x)); h = max(1, round(len(x) * 0.3))
    return x[idx[h:]], y[idx[h:]], x[idx[:h]], y[idx[:h]]
s_tr, s_try, s_ho, s_hoy = split(sx, sy); t_tr, _, t_ho, t_hoy = split(tx, ty)

class GRL(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, c): ctx.c = c; return x.view_as(x)
    @staticmethod
    def backward(ctx, g): return -ctx.c * g, None

def disc(inp, H, bn):
    if bn: return nn.Sequential(nn.Linear(inp, H), nn.BatchNorm1d(H), nn.ReLU(), nn.Linear(H, H), nn.BatchNorm1d(H), nn.ReLU(), nn.Linear(H, 1))
    return nn.Sequential(nn.Linear(inp, H), nn.ReLU(), nn.Dropout(0.5), nn.Linear(H, H), nn.ReLU(), nn.Dropout(0.5), nn.Linear(H, 1))

def trial(cfg, seed, N):
    torch.manual_seed(seed)
    d = sx.shape[1]; b = int(cfg['bottleneckDim']); B = int(min(cfg['batchSize'], len(s_tr), len(t_tr)))
    adv = cfg['algorithm'] != 'source-only' and cfg['tradeOff'] != 0
    cond = cfg['algorithm'] in ('cdan', 'cdan+e')
    rnd = cond and b * C > 4096
    din = b if not cond else (1024 if rnd else b * C)
    bott = nn.Sequential(nn.Linear(d, b), nn.BatchNorm1d(b), nn.ReLU()); head = nn.Linear(b, C)
    D = disc(din, int(cfg['discHidden']), cfg['discBatchNorm'])
    Rf, Rg = (torch.randn(b, 1024), torch.randn(C, 1024)) if rnd else (None, None)
    groups = [{'params': list(bott.parameters()) + list(head.parameters()), 'mult': 1.0}]
    if adv: groups.append({'params': list(D.parameters()), 'mult': cfg['discLrMult']})
    opt = torch.optim.SGD([{'params': g['params'], 'lr': cfg['lr'] * g['mult']} for g in groups], lr=cfg['lr'], momentum=cfg['momentum'], weight_decay=cfg['weightDecay'], nesterov=True)
    T = max(cfg['runIterations'], N)
    Xs, Ys, Xt = torch.from_numpy(s_tr), torch.from_numpy(s_try), torch.from_numpy(t_tr)
    dy = torch.cat([torch.ones(B, 1), torch.zeros(B, 1)])
    g = torch.Generator().manual_seed(seed)
    so, to = [], []
    tail = []; t0 = time.perf_counter(); c0 = time.process_time(); diverged = False
    bott.train(); head.train(); D.train()
    for step in range(N):
        i = step / N * T
        span = cfg['grlHi'] - cfg['grlLo']
        coeff = 2 * span / (1 + math.exp(-cfg['grlAlpha'] * i / cfg['grlMaxIters'])) - span + cfg['grlLo']
        for k, grp in enumerate(opt.param_groups): grp['lr'] = cfg['lr'] * groups[k]['mult'] * (1 + cfg['lrGamma'] * i) ** (-cfg['lrDecay'])
        if len(so) < B: so += torch.randperm(len(Xs), generator=g).tolist()
        if len(to) < B: to += torch.randperm(len(Xt), generator=g).tolist()
        si, so = so[:B], so[B:]; ti, to = to[:B], to[B:]
        x = torch.cat([Xs[si], Xt[ti]])
        f = bott(x); y = head(f)
        loss = F.cross_entropy(y[:B], Ys[si])
        if adv:
            h = f
            if cond:
                p = F.softmax(y, 1).detach()
                h = (f @ Rf) * (p @ Rg) / math.sqrt(1024) if rnd else torch.bmm(p.unsqueeze(2), f.unsqueeze(1)).view(-1, b * C) if False else (f.unsqueeze(2) * p.unsqueeze(1)).view(-1, b * C)
            dl = D(GRL.apply(h, coeff))
            w = None
            if cfg['algorithm'] == 'cdan+e':
                p = F.softmax(y, 1).detach(); ent = -(p * torch.log(p + 1e-5)).sum(1, keepdim=True); w = 1 + torch.exp(-ent)
                w = torch.cat([w[:B] / w[:B].sum() * B, w[B:] / w[B:].sum() * B])
            loss = loss + cfg['tradeOff'] * F.binary_cross_entropy_with_logits(dl, dy, weight=w)
            if step >= N - max(1, round(N * 0.2)): tail.append(((dl > 0).float() == dy).float().mean().item() * 100)
        if not torch.isfinite(loss): diverged = True; break
        opt.zero_grad(); loss.backward(); opt.step()
    secs = time.perf_counter() - t0; cpu = time.process_time() - c0
    bott.eval(); head.eval()
    with torch.no_grad():
        acc = lambda x, yy: (head(bott(torch.from_numpy(x))).argmax(1).numpy() == yy).mean() * 100
        return {'seed': seed, 'seconds': secs, 'cpuSeconds': cpu, 'diverged': diverged, 'domainAcc': float(np.mean(tail)) if tail else None,
                'sourceAcc': float(acc(s_ho, s_hoy)), 'targetAcc': float(acc(t_ho, t_hoy))}

for vi, cfg in enumerate(job['variants']):
    for seed in range(job['seeds']):
        r = trial(cfg, seed, job['iterations']); r['variant'] = vi
        print(json.dumps(r), flush=True)
