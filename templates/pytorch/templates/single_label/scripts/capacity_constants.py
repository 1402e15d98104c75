PASS_LOSS = 0.05  # pass: 100% accuracy on the subset and mean loss at most this
IMPOSSIBLE = "100% is impossible"  # what conflicting duplicates make of the pass
DEFAULT_SAMPLES = "2 per class, at least 16, at most 64"  # --samples' default, in words
# [init] (check_init): the extra loss, in nats per sample, that the spread of the initial logits costs over
# all-zero logits (ln C), with the labels shuffled. OK up to INIT_OK, WARN up to INIT_WARN, FAIL beyond.
# Measured over 100 seeds: this project's models stay below 0.9 nats (MLPs below 0.1, the small CNN with any
# normalization up to 0.85, ResNet-18 with random weights up to 0.5, 2 to 10 classes); weights drawn from
# N(0, 1) (the classic "huge initial weights") give 2 to 20 at the default widths (1 to 1.7 through a layer of
# only 16 units: such an init is "only" 4x too large there).
INIT_OK, INIT_WARN = 1.5, 4.0
# the loss of the capacity test: unweighted (no class weights, pos_weight, focal loss or sampling here), so at
# zero logits it is exactly ln C
LOSS = torch.nn.functional.cross_entropy
OUTPUT_SCALE = 100.0  # initial_outputs scales the output layer by this: raw logits follow, probabilities cannot
SCORE = "accuracy"  # what evaluate() scores besides the loss
# [zero]: with every input zeroed the model can only learn the label frequencies: their entropy is its floor
FLOOR_KEY, FLOOR_NAME, TARGETS = "label_entropy", "label entropy", "labels"
