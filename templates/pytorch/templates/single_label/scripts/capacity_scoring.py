def passes(loss: float, accuracy: float) -> bool:
    """The subset is memorised: every prediction right and the mean loss at most PASS_LOSS."""
    return accuracy == 1.0 and loss <= PASS_LOSS


@torch.no_grad()
def evaluate(
    model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor, loss_fn: Any
) -> tuple[float, float, list[int]]:
    """Loss, accuracy and predictions in eval mode (BatchNorm uses its running statistics, as in inference)."""
    model.eval()
    logits = model(inputs)
    model.train()
    predictions = logits.argmax(1)
    return loss_fn(logits, targets).item(), (predictions == targets).float().mean().item(), predictions.tolist()


def sample_pairs(truths: list[int], predictions: list[int], count: int = 6) -> list[tuple[int, int]]:
    """A few (true, predicted) pairs, one class after another, to eyeball that labels and predictions align."""
    first_of_class = {}
    for index, truth in enumerate(truths):
        first_of_class.setdefault(truth, index)
    order = list(first_of_class.values()) + [i for i in range(len(truths)) if i not in first_of_class.values()]
    return [(truths[i], predictions[i]) for i in order[:count]]


def subset_order(targets: list[int], seed: int) -> list[int]:
    """Every index, ordered so that any prefix is spread evenly over the classes (fixed by the seed)."""
    rng = random.Random(seed)
    by_class: dict[int, list[int]] = {}
    for index, target in enumerate(targets):
        by_class.setdefault(target, []).append(index)
    queues = [rng.sample(by_class[c], len(by_class[c])) for c in sorted(by_class)]
    order: list[int] = []
    while any(queues):
        order += [queue.pop() for queue in queues if queue]
    return order


def fitted(logits: torch.Tensor, targets: torch.Tensor, loss: float) -> bool:
    """The training step's batch looks memorised (evaluate() then confirms it in eval mode)."""
    return loss <= PASS_LOSS and bool((logits.argmax(1) == targets).all())


def capacity_loss(cfg: dict[str, Any]) -> Any:
    """The loss the capacity test trains and judges with."""
    return LOSS


def constant_floor(cfg: dict[str, Any], targets: torch.Tensor) -> float:
    """The lowest loss a model that ignores its input can reach: the entropy of the label frequencies."""
    p = torch.bincount(targets).float()
    p = p[p > 0] / p.sum()
    return float(-(p * p.log()).sum())


def init_text(init: dict[str, Any], subset: Subset) -> str:
    """The [init] line's comparison: the loss at zero logits and with the labels shuffled."""
    return (
        f"expected ln {len(subset.classes)} = {init['uninformed']:.3f} at zero logits; "
        f"{init['expected']:.3f} with the labels shuffled: {init['excess']:+.2f} nats"
    )


def fit_text(fit: dict[str, Any]) -> str:
    """The [fit] line's score."""
    return f"accuracy {fit['accuracy']:.0%}"


def shown_predictions(subset: Subset, predictions: list[int]) -> list[str]:
    """A few `true -> predicted` pairs, one class after another, to eyeball that labels and predictions align."""
    classes = subset.classes
    return [f"{classes[t]} -> {classes[p]}" for t, p in sample_pairs(subset.targets.tolist(), predictions)]


def plot_references(expected: float, floor: float) -> dict[str, float]:
    """The reference lines of the loss plot."""
    return {f"loss at zero logits ln C = {expected:.2f}": expected, f"pass line: loss {PASS_LOSS}": PASS_LOSS}


def uninformed_output(subset: Subset) -> float:
    """The logit of a model that knows nothing."""
    return 0.0


def invalid_targets(outputs: torch.Tensor, targets: torch.Tensor) -> str:
    """Why the loss cannot judge these targets ("" when it can)."""
    if int(targets.min()) < 0 or int(targets.max()) >= outputs.shape[1]:  # the loss would raise
        return f"labels outside 0..{outputs.shape[1] - 1}: counted from 1? offset?"
    return ""


def judge_init(report: dict[str, Any], outputs: torch.Tensor, rescaled: torch.Tensor | None) -> dict[str, Any]:
    """check_init's status for logits, from its report.

    `uninformed` is the logit of a model that knows nothing: 0, where the unweighted loss is exactly
    ln C. Comparing the initial loss with it directly raises false alarms: a randomly
    initialised network's logits are not zero (their std is 0.2 to 1 for this project's models), and through
    random features of informative inputs they agree or disagree with the labels of a small batch by chance.
    With 2 classes and 16 samples that chance alone moves the loss between 0.50 and 0.97 around ln 2 = 0.69
    (breast cancer data, 20 seeds), with nothing wrong. So the loss is taken apart:

    - uninformed: the loss at zero logits (ln C).
    - expected: the loss of these logits with the labels shuffled (every output row paired with every label
      row): it keeps the logits' spread and drops their chance agreement with the labels. For balanced
      classes, expected - uninformed is the mean KL divergence from the uniform to the predicted
      distribution: how confident the model is before it has seen anything.
    - loss: the actual loss. loss - expected is chance agreement: its sign is random over seeds and its size is
      bounded by the logits' spread, so it is reported but judges nothing.

    Status: FAIL when the outputs are squashed into probabilities (`rescaled`, from initial_outputs, stays in
    [0, 1]): rows that sum to 1 are a softmax before the loss, which applies log-softmax itself (the loss then
    never drops below ln(e + C - 1) - 1), others a sigmoid. Without `rescaled`, only rows in [0, 1] that all
    sum to 1 count as a softmax (raw logits can lie in [0, 1] by chance, not sum to 1 in every row).
    Then expected - uninformed above INIT_OK nats is WARN, above INIT_WARN FAIL: too confident before
    training (huge initial weights, a scaled-up output or temperature). Labels offset by one cannot show at
    initialisation: random logits do not know which label is right.
    """
    rows_sum_to_1 = bool(((outputs.sum(dim=1) - 1).abs() < 1e-3).all())
    if (squashed(outputs, rescaled) or (rescaled is None and in_unit(outputs))) and rows_sum_to_1:
        status, why = "FAIL", "every output row is in [0, 1] and sums to 1: softmax before the loss? (it wants logits)"
    elif squashed(outputs, rescaled):
        status, why = "FAIL", "the outputs are squashed into [0, 1]: sigmoid before the loss? (it wants logits)"
    elif report["excess"] > INIT_WARN:
        status, why = "FAIL", "far too confident before training: huge initial weights? a scaled-up output?"
    elif report["excess"] > INIT_OK:
        status, why = "WARN", "confident before training: large initial weights? a scaled-up output?"
    else:
        status, why = "OK", ""
    return {"status": status, "why": why}


def subset_words(subset: Subset) -> str:
    """The subset, for the plot's title."""
    return f"{len(subset.indices)} samples, {len(subset.classes)} classes"


def target_names(subset: Subset) -> dict[str, Any]:
    """What the model predicts, for the JSON result: the class names."""
    return {"classes": subset.classes}


def describe_data(subset: Subset) -> tuple[dict[str, Any], str]:
    """[data]: how many samples of each class the subset holds (for the JSON result), and the label encoding."""
    classes = subset.classes
    per_class = {classes[k]: n for k, n in enumerate(subset.targets.bincount().tolist()) if n}
    text = (
        f"{len(subset.indices)} {{ "rows" if f.tabular else "samples" }}, {len(per_class)} of {len(classes)} classes "
        f"({min(per_class.values())}-{max(per_class.values())} per class), labels int64 in 0..{len(classes) - 1}"
    )
    return {"per_class": per_class}, text
