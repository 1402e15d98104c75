METRICS = ["accuracy", "macro_f1"]  # what the baselines of a single-label image project report
SIZES = {"train": 24, "val": 9, "fitted_on": 24}  # images of the fixture data
BASELINES = {"majority", "linear"}


def test_a_linear_model_beats_a_constant_guess(baseline: dict) -> None:
    scores = baseline["baselines"]
    assert scores["linear"]["macro_f1"] > scores["majority"]["macro_f1"] + 0.3
