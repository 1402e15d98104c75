DEFAULT_LR = 3e-4  # Adam at 3e-4 is the safe first try (Karpathy)
RETRY_LRS = (1e-3, 3e-3, 1e-4)  # tried in turn when the loss barely moves (unless --set training.lr was given)
