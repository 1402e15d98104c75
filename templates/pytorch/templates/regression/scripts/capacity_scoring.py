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


def fitted(outputs: torch.Tensor, targets: torch.Tensor, loss: float) -> bool:
    """The training step's batch looks fitted (evaluate() then confirms it in eval mode)."""
    return r_squared(outputs, targets) >= PASS_R2


def capacity_loss(cfg: dict[str, Any]) -> Any:
    """The loss the capacity test trains and judges with: target.loss, as in training."""
    return build_loss(cfg)


def constant_floor(cfg: dict[str, Any], targets: torch.Tensor) -> float:
    """The lowest loss a model that ignores its input can reach: that of always predicting the subset's mean."""
    return build_loss(cfg)(torch.full_like(targets, targets.mean().item()), targets).item()


def init_text(init: dict[str, Any], subset: Subset) -> str:
    """The [init] line's comparison: the loss of predicting the training mean and with the targets shuffled."""
    return (
        f"expected {init['uninformed']:.3f} predicting the training mean; "
        f"{init['expected']:.3f} with the targets shuffled: {init['ratio']:.2f}x"
    )


def fit_text(fit: dict[str, Any]) -> str:
    """The [fit] line's score."""
    return f"R² {fit['r2']:.4f}"


def shown_predictions(subset: Subset, predictions: list[float]) -> list[str]:
    """A few `true -> predicted` values in the target's own units."""
    unscale = subset.spec.unscale
    truths, shown = unscale(subset.targets.cpu()[:6]), unscale(torch.tensor(predictions[:6]))
    return [f"{t:.4g} -> {p:.4g}" for t, p in zip(truths.tolist(), shown.tolist(), strict=True)]


def plot_references(expected: float, floor: float) -> dict[str, float]:
    """The reference lines of the loss plot: the training mean's loss and the loss that R² PASS_R2 means."""
    pass_loss = (1 - PASS_R2) * floor  # R² = 1 - loss / variance
    return {
        f"loss of predicting the training mean = {expected:.2f}": expected,
        f"pass line: R² {PASS_R2} (loss {pass_loss:.3g})": pass_loss,
    }


def uninformed_output(subset: Subset) -> float:
    """The output of a model that knows nothing: the training mean, in the units the model learns."""
    return subset.spec.target_bias


def invalid_targets(outputs: torch.Tensor, targets: torch.Tensor) -> str:
    """Why the loss cannot judge these targets ("" when it can): any float target will do."""
    return ""


def judge_init(report: dict[str, Any], outputs: torch.Tensor, rescaled: torch.Tensor | None) -> dict[str, Any]:
    """check_init's status for regression outputs, from its report.

    `uninformed` is the output of a model that knows nothing: the training mean, in the units the model learns.
    This project's model starts exactly there (zero output weights, bias at the mean), so its initial loss is
    that of predicting the mean. A model with a random output layer does not: its outputs spread, and on a
    small batch they agree or disagree with the targets by chance, so its loss is taken apart:

    - uninformed: the loss of always predicting the training mean (MSE: the subset's variance around it).
    - expected: the loss of these outputs with the targets shuffled (every output row paired with every target
      row): it keeps the outputs' spread and centre and drops their chance agreement with the targets. For MSE
      it is the targets' variance + the outputs' variance + (mean output - mean target)².
    - loss: the actual loss. loss - expected is chance agreement: its sign is random over seeds, so it is
      reported but judges nothing.

    Status: expected / uninformed - 1 above INIT_OK is WARN, above INIT_WARN FAIL: outputs that spread far
    wider than the targets (huge initial weights) or sit far from them (an output bias not at the mean,
    targets not standardized).
    """
    ratio = report["expected"] / max(report["uninformed"], 1e-12)  # uninformed 0: targets all at the mean
    if ratio - 1 > INIT_WARN:
        status, why = "FAIL", "the initial outputs are far off the targets' scale or centre"
    elif ratio - 1 > INIT_OK:
        status, why = "WARN", "the initial outputs spread wider than expected"
    else:
        status, why = "OK", ""
    if status != "OK":
        why += " (output bias not at the mean? unscaled targets? huge initial weights?)"
    return {"ratio": ratio, "status": status, "why": why}


def subset_words(subset: Subset) -> str:
    """The subset, for the plot's title."""
    return f"{len(subset.indices)} rows"


def target_names(subset: Subset) -> dict[str, Any]:
    """What the model predicts, for the JSON result: the target column."""
    return {"target": subset.spec.target}


def describe_data(subset: Subset) -> tuple[dict[str, Any], str]:
    """[data]: the subset's target mean and spread (for the JSON result), and the target's encoding."""
    targets = subset.targets
    stats = {"target_mean": targets.mean().item(), "target_std": targets.std(unbiased=False).item()}
    scale = "standardized with the training mean and std" if subset.spec.standardize_target else "in its own units"
    text = (
        f"{len(subset.indices)} rows of {subset.inputs.shape[1]} inputs, target float32 {scale} "
        f"(subset mean {stats['target_mean']:.3f}, std {stats['target_std']:.3f})"
    )
    return stats, text
