PASS_R2 = 0.99  # pass: R² at least this on the subset (the model explains 99% of the targets' variance)
IMPOSSIBLE = f"R² {PASS_R2} may be impossible"  # what conflicting duplicates make of the pass
DEFAULT_SAMPLES = "64 rows"  # --samples' default, in words
# [init] (check_init): the initial outputs' extra loss over always predicting the training mean, as a share
# of that loss, with the targets shuffled. OK up to INIT_OK, WARN up to INIT_WARN, FAIL beyond. This project's
# model starts exactly at the mean (zero output weights): 0.
INIT_OK, INIT_WARN = 0.5, 3.0
SCORE = "r2"  # what evaluate() scores besides the loss
# [zero]: with every input zeroed the model can only learn the mean target: the loss of predicting it is its floor
FLOOR_KEY, FLOOR_NAME, TARGETS = "constant_guess", "predicting the mean", "targets"
