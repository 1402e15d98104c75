DEFAULT_LR = 1e-3  # Adam's default: small MLPs on tables train well at it (3e-4 crawls)
RETRY_LRS = (3e-3, 1e-2, 3e-4)  # tried in turn when the loss barely moves (unless --set training.lr was given)
