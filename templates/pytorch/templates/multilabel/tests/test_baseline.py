METRICS = ["macro_f1", "micro_f1", "accuracy", "exact_match"]  # what the baselines of a multi-label project report
SIZES = {"train": 64, "val": 24, "fitted_on": 64}  # images of the fixture data
BASELINES = {"majority", "linear"}


def test_a_linear_model_beats_a_constant_guess(baseline: dict) -> None:
    scores = baseline["baselines"]
    assert scores["linear"]["macro_f1"] > scores["majority"]["macro_f1"] + 0.3
