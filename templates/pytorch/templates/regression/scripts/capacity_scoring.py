def passes(loss: float, r2: float) -> bool:
    """The subset is fitted: R² of at least PASS_R2 (the loss follows from it)."""
    return r2 >= PASS_R2


@torch.no_grad()
def evaluate(
    model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor, loss_fn: torch.nn.Module
) -> tuple[float, float, list[float]]:
    """Loss, R² and predictions in eval mode (normalization and dropout as in inference)."""
    model.eval()
    outputs = model(inputs)
    model.train()
    return loss_fn(outputs, targets).item(), r_squared(outputs, targets), outputs.tolist()


def r_squared(outputs: torch.Tensor, targets: torch.Tensor) -> float:
    """1 - squared error / the targets' variance: 1 is a perfect fit, 0 is no better than their mean."""
    spread = ((targets - targets.mean()) ** 2).sum()
    return 1.0 - float(((outputs - targets) ** 2).sum() / spread) if spread > 0 else 0.0
