"""PyTorch twins of @ausam/classification's ResNet, Wide ResNet and PyramidNet.

Module names follow the TypeScript variable names ('stage1/block0/conv1/filter' is
'stage1.block0.conv1.weight'), so `model.state_dict()` is exactly what `loadPyTorchStateDict`
expects without any renaming. Layers are PyTorch's defaults (init, BatchNorm eps/momentum).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv3x3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


def conv1x1(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 1, stride=stride, padding=0, bias=False)


class ConvBn(nn.Module):
    def __init__(self, conv, channels):
        super().__init__()
        self.conv = conv
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, x):
        return self.bn(self.conv(x))


def named_sequence(prefix, modules):
    """A container whose children are named prefix0, prefix1, … (applied in order)."""
    seq = nn.Module()
    for i, m in enumerate(modules):
        seq.add_module(f"{prefix}{i}", m)
    return seq


class BasicBlock(nn.Module):
    """Post-activation basic block, option-B (1x1 conv + BN) shortcut when the shape changes."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = conv3x3(cin, cout, stride)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = conv3x3(cout, cout)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = ConvBn(conv1x1(cin, cout, stride), cout) if stride != 1 or cin != cout else None

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(h))
        return F.relu(out + (self.shortcut(x) if self.shortcut is not None else x))


class ResNet(nn.Module):
    def __init__(self, in_channels, num_classes, stem_width, widths, blocks, strides):
        super().__init__()
        self.stem = ConvBn(conv3x3(in_channels, stem_width), stem_width)
        channels = stem_width
        for s, (width, n, stride) in enumerate(zip(widths, blocks, strides)):
            stage = []
            for b in range(n):
                stage.append(BasicBlock(channels, width, stride if b == 0 else 1))
                channels = width
            self.add_module(f"stage{s + 1}", named_sequence("block", stage))
        self.num_stages = len(widths)
        self.head = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = F.relu(self.stem(x))
        for s in range(self.num_stages):
            for block in getattr(self, f"stage{s + 1}").children():
                x = block(x)
        return self.head(x.mean(dim=(2, 3)))


def cifar_resnet(depth, width=16, first_stride=1, in_channels=3, num_classes=10):
    n = (depth - 2) // 6
    return ResNet(in_channels, num_classes, width, [width, 2 * width, 4 * width], [n, n, n], [first_stride, 2, 2])


class WideBasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = conv3x3(cin, cout, stride)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = conv3x3(cout, cout)
        self.shortcut = nn.Module() if cin != cout or stride != 1 else None
        if self.shortcut is not None:
            self.shortcut.conv = conv1x1(cin, cout, stride)

    def forward(self, x):
        a = F.relu(self.bn1(x))
        shortcut = self.shortcut.conv(a) if self.shortcut is not None else x
        h = F.relu(self.bn2(self.conv1(a)))
        return self.conv2(h) + shortcut


class WideResNet(nn.Module):
    def __init__(self, depth, k, in_channels=3, num_classes=10):
        super().__init__()
        n = (depth - 4) // 6
        self.stem = nn.Module()
        self.stem.conv = conv3x3(in_channels, 16)
        channels, self.groups = 16, 3
        for g, base in enumerate([16, 32, 64]):
            blocks = []
            for b in range(n):
                blocks.append(WideBasicBlock(channels, base * k, 2 if b == 0 and g > 0 else 1))
                channels = base * k
            self.add_module(f"group{g + 1}", named_sequence("block", blocks))
        self.final = nn.Module()
        self.final.bn = nn.BatchNorm2d(channels)
        self.head = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = self.stem.conv(x)
        for g in range(self.groups):
            for block in getattr(self, f"group{g + 1}").children():
                x = block(x)
        x = F.relu(self.final.bn(x))
        return self.head(x.mean(dim=(2, 3)))


class PyramidBasic(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.stride, self.out_channels = stride, planes
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = conv3x3(cin, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes)
        self.bn3 = nn.BatchNorm2d(planes)

    def residual(self, x):
        return self.bn3(self.conv2(F.relu(self.bn2(self.conv1(self.bn1(x))))))


class PyramidBottleneck(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.stride, self.out_channels = stride, planes * 4
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = conv1x1(cin, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn3 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * 4)
        self.bn4 = nn.BatchNorm2d(planes * 4)

    def residual(self, x):
        h = F.relu(self.bn2(self.conv1(self.bn1(x))))
        h = F.relu(self.bn3(self.conv2(h)))
        return self.bn4(self.conv3(h))


class PyramidNet(nn.Module):
    """Additive PyramidNet; shortcuts: 2x2 average pooling when downsampling (even sizes), zero channels."""

    def __init__(self, depth, alpha, bottleneck=False, in_channels=3, num_classes=10):
        super().__init__()
        n = (depth - 2) // (9 if bottleneck else 6)
        unit = PyramidBottleneck if bottleneck else PyramidBasic
        self.stem = ConvBn(conv3x3(in_channels, 16), 16)
        width, channels, self.units = 16.0, 16, []
        for s in range(3):
            stage = []
            for u in range(n):
                width += alpha / (3 * n)
                m = unit(channels, round(width), 2 if u == 0 and s > 0 else 1)
                stage.append(m)
                channels = m.out_channels
            self.add_module(f"stage{s + 1}", named_sequence("unit", stage))
            self.units.extend(stage)
        self.final = nn.Module()
        self.final.bn = nn.BatchNorm2d(channels)
        self.head = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for m in self.units:
            r = m.residual(x)
            pooled = x if m.stride == 1 else F.avg_pool2d(x, 2, 2)
            x = r + F.pad(pooled, (0, 0, 0, 0, 0, m.out_channels - pooled.shape[1]))
        x = F.relu(self.final.bn(x))
        return self.head(x.mean(dim=(2, 3)))


def build(name, in_channels, num_classes):
    """The model `createModel(name, ...)` builds, for the names the parity tools use."""
    if name == "resnet-small":
        return cifar_resnet(8, 16, 2, in_channels, num_classes)
    if name.startswith("resnet") and name[6:].isdigit():
        return cifar_resnet(int(name[6:]), 16, 1, in_channels, num_classes)
    raise ValueError(f"models.build: unknown model '{name}'")
