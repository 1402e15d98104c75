PASS_LOSS = 0.05  # pass: per-label accuracy of at least PASS_ACCURACY on the subset and mean loss at most this
PASS_ACCURACY = 0.99  # the share of (image, label) decisions that must be right
IMPOSSIBLE = "a perfect fit is impossible"  # what conflicting duplicates make of the pass
DEFAULT_SAMPLES = "2 per label, at least 16, at most 64"  # --samples' default, in words
# [init] (check_init): the extra loss, in nats per (image, label) decision, that the spread of the initial
# logits costs over all-zero logits (ln 2), with the labels shuffled. OK up to INIT_OK, WARN up to INIT_WARN,
# FAIL beyond. Measured over 100 seeds: this project's small CNN stays below 0.3 nats; weights drawn from
# N(0, 1) (the classic "huge initial weights") give 1.4 to 11.
INIT_OK, INIT_WARN = 1.0, 3.0
# the loss of the capacity test: unweighted (no class weights, pos_weight, focal loss or sampling here), so at
# zero logits it is exactly ln 2 per label
LOSS = torch.nn.functional.binary_cross_entropy_with_logits
OUTPUT_SCALE = 100.0  # initial_outputs scales the output layer by this: raw logits follow, probabilities cannot
SCORE = "accuracy"  # what evaluate() scores besides the loss: per-label accuracy
# [zero]: with every input zeroed the model can only learn the label frequencies: their mean entropy is its floor
FLOOR_KEY, FLOOR_NAME, TARGETS = "label_entropy", "mean label entropy", "labels"
