def passes(loss: float, accuracy: float) -> bool:
    """The subset is memorised: at least PASS_ACCURACY of the (image, label) decisions right, loss <= PASS_LOSS."""
    return accuracy >= PASS_ACCURACY and loss <= PASS_LOSS


@torch.no_grad()
def evaluate(
    model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor
) -> tuple[float, float, list[list[float]]]:
    """Loss, per-label accuracy and predicted labels (0/1) in eval mode (BatchNorm uses its running statistics)."""
    model.eval()
    logits = model(inputs)
    model.train()
    predictions = (logits > 0).float()  # probability above 0.5
    loss = LOSS(logits, targets).item()
    return loss, (predictions == targets).float().mean().item(), predictions.tolist()


def label_order(targets: torch.Tensor, seed: int) -> list[int]:
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
