"""Generates test-fixtures/pytorch-weights/: tiny PyTorch state_dicts for the weight-import tests.

For each model: <name>.safetensors is `model.state_dict()` (as a user would save it, F32 for the
ResNet, F16 for the others to keep the files small), and <name>.expected.safetensors holds an input
batch (NHWC, as @ausam/classification takes it) with the logits PyTorch computes from those weights
in eval mode (running statistics) and in train mode (batch statistics), and for the ResNet the
gradients of the train-mode mean cross-entropy (labels i mod 5) as `grad.<key>` in PyTorch's layout. BatchNorm parameters and
running statistics are randomised so that a transposed or misnamed tensor changes the logits.
Run once: /usr/bin/python3 tools/parity/reference/make_fixture.py
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import models  # noqa: E402
import safetensors_io  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "test-fixtures", "pytorch-weights")

FIXTURES = {
    # name: (builder, dtype of the stored weights)
    "resnet8-w4": (lambda: models.cifar_resnet(8, 4, 1, 3, 5), torch.float32),
    "wrn-10-1": (lambda: models.WideResNet(10, 1, 3, 5), torch.float16),
    "pyramidnet-8-4": (lambda: models.PyramidNet(8, 4, False, 3, 5), torch.float16),
}


def randomise_batch_norms(model, g):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.copy_(0.5 + torch.rand(m.weight.shape, generator=g))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=g))
                m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=g))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=g))


def main():
    os.makedirs(OUT, exist_ok=True)
    for i, (name, (build, dtype)) in enumerate(FIXTURES.items()):
        torch.manual_seed(100 + i)
        g = torch.Generator().manual_seed(200 + i)
        model = build()
        randomise_batch_norms(model, g)
        # Copies (state_dict() shares storage with the live buffers, which the train-mode pass moves),
        # rounded to the stored precision, loaded back so the logits are those of the file's values.
        state = {k: (v.detach().clone().to(dtype) if v.is_floating_point() else v.clone()) for k, v in model.state_dict().items()}
        model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()})
        x = torch.randn(3, 3, 8, 8, generator=g)
        model.eval()
        with torch.no_grad():
            eval_logits = model(x)
        model.train()
        train_logits = model(x)  # moves the running statistics; they were saved above
        labels = torch.arange(len(x)) % 5
        loss = torch.nn.functional.cross_entropy(train_logits, labels)
        loss.backward()
        # Gradients for the ResNet only (F32 gradients of the others would dominate the fixture size).
        grads = {f"grad.{k}": p.grad for k, p in model.named_parameters()} if name.startswith("resnet") else {}
        safetensors_io.save(state, os.path.join(OUT, f"{name}.safetensors"), {"format": "pt"})
        safetensors_io.save(
            {"input_nhwc": x.permute(0, 2, 3, 1).contiguous(), "labels": labels.float(), "logits_eval": eval_logits,
             "logits_train": train_logits.detach(), "loss_train": loss.detach().reshape(1), **grads},
            os.path.join(OUT, f"{name}.expected.safetensors"),
        )
        print(name, sum(p.numel() for p in model.parameters()), "parameters")


if __name__ == "__main__":
    main()
