def passes(loss: float, accuracy: float) -> bool:
    """The subset is memorised: every prediction right and the mean loss at most PASS_LOSS."""
    return accuracy == 1.0 and loss <= PASS_LOSS


@torch.no_grad()
def evaluate(model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor) -> tuple[float, float, list[int]]:
    """Loss, accuracy and predictions in eval mode (BatchNorm uses its running statistics, as in inference)."""
    model.eval()
    logits = model(inputs)
    model.train()
    predictions = logits.argmax(1)
    return LOSS(logits, targets).item(), (predictions == targets).float().mean().item(), predictions.tolist()


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
