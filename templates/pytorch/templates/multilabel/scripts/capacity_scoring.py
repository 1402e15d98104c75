def passes(loss: float, accuracy: float) -> bool:
    """The subset is memorised: at least PASS_ACCURACY of the (image, label) decisions right, loss <= PASS_LOSS."""
    return accuracy >= PASS_ACCURACY and loss <= PASS_LOSS


@torch.no_grad()
def evaluate(
    model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor, loss_fn: Any
) -> tuple[float, float, list[list[float]]]:
    """Loss, per-label accuracy and predicted labels (0/1) in eval mode (BatchNorm uses its running statistics)."""
    model.eval()
    logits = model(inputs)
    model.train()
    predictions = (logits > 0).float()  # probability above 0.5
    loss = loss_fn(logits, targets).item()
    return loss, (predictions == targets).float().mean().item(), predictions.tolist()


def subset_order(targets: torch.Tensor, seed: int) -> list[int]:
    """Every image index, ordered so that any prefix covers the labels evenly: the labels take turns, each
    adding an image that carries it (fixed by the seed); images without labels come last."""
    rng = random.Random(seed)
    queues = [
        rng.sample(rows, len(rows))
        for rows in (targets[:, j].nonzero().flatten().tolist() for j in range(targets.shape[1]))
    ]
    order: list[int] = []
    taken: set[int] = set()
    while any(queues):
        for queue in queues:
            while queue and queue[-1] in taken:
                queue.pop()
            if queue:
                taken.add(queue[-1])
                order.append(queue.pop())
    return order + rng.sample([i for i in range(len(targets)) if i not in taken], len(targets) - len(taken))


def fitted(logits: torch.Tensor, targets: torch.Tensor, loss: float) -> bool:
    """The training step's batch looks memorised (evaluate() then confirms it in eval mode)."""
    return loss <= PASS_LOSS


def capacity_loss(cfg: dict[str, Any]) -> Any:
    """The loss the capacity test trains and judges with."""
    return LOSS


def constant_floor(cfg: dict[str, Any], targets: torch.Tensor) -> float:
    """The lowest loss a model that ignores its input can reach: the mean binary entropy of each label's
    frequency in the subset."""
    p = targets.float().mean(dim=0).clamp(1e-7, 1 - 1e-7)
    return float(-(p * p.log() + (1 - p) * (1 - p).log()).mean())


def init_text(init: dict[str, Any], subset: Subset) -> str:
    """The [init] line's comparison: the loss at zero logits and with the labels shuffled."""
    return (
        f"expected ln 2 = {init['uninformed']:.3f} per label at zero logits; "
        f"{init['expected']:.3f} with the labels shuffled: {init['excess']:+.2f} nats"
    )


def fit_text(fit: dict[str, Any]) -> str:
    """The [fit] line's score."""
    return f"per-label accuracy {fit['accuracy']:.1%}"


def shown_predictions(subset: Subset, predictions: list[list[float]]) -> list[str]:
    """A few `true -> predicted` label sets, to eyeball that labels and predictions align."""

    def names(row: list[float]) -> str:
        return "{" + ", ".join(name for name, value in zip(subset.classes, row, strict=True) if value > 0.5) + "}"

    pairs = zip(subset.targets.tolist()[:4], predictions[:4], strict=True)
    return [f"{names(t)} -> {names(p)}" for t, p in pairs]


def plot_references(expected: float, floor: float) -> dict[str, float]:
    """The reference lines of the loss plot."""
    return {f"loss at zero logits ln 2 = {expected:.2f}": expected, f"pass line: loss {PASS_LOSS}": PASS_LOSS}


def uninformed_output(subset: Subset) -> float:
    """The logit of a model that knows nothing."""
    return 0.0


def invalid_targets(outputs: torch.Tensor, targets: torch.Tensor) -> str:
    """Why the loss cannot judge these targets ("" when it can)."""
    if not bool(((targets == 0) | (targets == 1)).all()):  # the loss would run, on nonsense
        return "the labels are not all 0 or 1: the loss wants one 0/1 target per label"
    return ""


def judge_init(report: dict[str, Any], outputs: torch.Tensor, rescaled: torch.Tensor | None) -> dict[str, Any]:
    """check_init's status for logits, from its report.

    `uninformed` is the logit of a model that knows nothing: 0, where the unweighted loss is exactly
    ln 2 per label. Comparing the initial loss with it directly raises false alarms: a randomly
    initialised network's logits are not zero (their std is 0.2 to 1 for this project's models), and through
    random features of informative inputs they agree or disagree with the labels of a small batch by chance.
    With 2 classes and 16 samples that chance alone moves the loss between 0.50 and 0.97 around ln 2 = 0.69
    (breast cancer data, 20 seeds), with nothing wrong. So the loss is taken apart:

    - uninformed: the loss at zero logits (ln 2).
    - expected: the loss of these logits with the labels shuffled (every output row paired with every label
      row): it keeps the logits' spread and drops their chance agreement with the labels. For balanced
      labels, expected - uninformed is the mean KL divergence from the uniform to the predicted
      distribution of each label: how confident the model is before it has seen anything.
    - loss: the actual loss. loss - expected is chance agreement: its sign is random over seeds and its size is
      bounded by the logits' spread, so it is reported but judges nothing.
    The mean entropy of the labels' frequencies ([zero] reports it) is lower than ln 2: it is where a head whose
    bias starts at each label's prior would start (expected - uninformed then comes out negative, which is fine).

    Status: FAIL when the outputs are squashed into probabilities (`rescaled`, from initial_outputs, stays in
    [0, 1]): a sigmoid before the loss, which applies the sigmoid itself (sigmoid twice: the loss can never
    approach 0).
    Then expected - uninformed above INIT_OK nats is WARN, above INIT_WARN FAIL: too confident before
    training (huge initial weights, a scaled-up output or temperature). Labels offset by one cannot show at
    initialisation: random logits do not know which label is right.
    """
    if squashed(outputs, rescaled):
        status, why = "FAIL", "the outputs are probabilities: sigmoid before the loss? (it applies the sigmoid itself)"
    elif report["excess"] > INIT_WARN:
        status, why = "FAIL", "far too confident before training: huge initial weights? a scaled-up output?"
    elif report["excess"] > INIT_OK:
        status, why = "WARN", "confident before training: large initial weights? a scaled-up output?"
    else:
        status, why = "OK", ""
    return {"status": status, "why": why}


def subset_words(subset: Subset) -> str:
    """The subset, for the plot's title."""
    return f"{len(subset.indices)} samples, {len(subset.classes)} labels"


def target_names(subset: Subset) -> dict[str, Any]:
    """What the model predicts, for the JSON result: the label names."""
    return {"labels": subset.classes}


def describe_data(subset: Subset) -> tuple[dict[str, Any], str]:
    """[data]: how many images carry each label (for the JSON result), and the label encoding."""
    per_label = subset.targets.sum(dim=0).int().tolist()
    present = [count for count in per_label if count]
    text = (
        f"{len(subset.indices)} images, {len(present)} of {len(subset.classes)} labels present "
        f"({min(present, default=0)}-{max(present, default=0)} images each), "
        f"targets float 0/1 of shape {tuple(subset.targets.shape)}"
    )
    return {"per_label": dict(zip(subset.classes, per_label, strict=True))}, text
