"""SAM (Foret et al. 2021) around a torch optimizer, with the conventions of davda54/sam:
eps = rho * g / (||g|| + 1e-12) with the global norm over all parameters' gradients (weight decay
not included), the second pass at w + eps with BatchNorm running statistics frozen, w restored
exactly, then the base step with the second gradient."""
import torch
import torch.nn as nn


def _set_bn_momentum(model, momentum):
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            if momentum is None:
                m.momentum = m._saved_momentum
            else:
                m._saved_momentum = m.momentum
                m.momentum = momentum


def sam_step(model, base, loss_fn, x, y, rho):
    """One SAM step; returns the loss at w (first pass)."""
    params = [p for p in model.parameters() if p.requires_grad]
    base.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    with torch.no_grad():
        norm = torch.sqrt(sum((p.grad * p.grad).sum() for p in params if p.grad is not None))
        scale = rho / (norm + 1e-12)
        saved = [p.detach().clone() for p in params]
        for p in params:
            if p.grad is not None:
                p.add_(p.grad * scale)
    base.zero_grad()
    _set_bn_momentum(model, 0.0)  # running = (1 - 0)·running + 0·batch: unchanged
    loss_fn(model(x), y).backward()
    _set_bn_momentum(model, None)
    with torch.no_grad():
        for p, w in zip(params, saved):
            p.copy_(w)
    base.step()
    return loss.detach()


def sgd_step(model, base, loss_fn, x, y):
    base.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    base.step()
    return loss.detach()
