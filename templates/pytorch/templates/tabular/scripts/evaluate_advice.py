def advice(best: str, tie: bool) -> str:
    """What to try when a simple model scores as well as the trained one (`tie`), or better."""
    does = "does as well" if tie else "does better"
    if best == "gradient_boosting":
        return (
            "On tables a gradient-boosted model is often the right answer: consider using it. To keep the "
            "network, run scripts/capacity_test.py, then train longer or tune training.lr and model.hidden_sizes."
        )
    if best in ("logistic", "ridge"):
        return (
            f"A linear model {does}: the network is undertrained or overfitting. Run "
            "scripts/capacity_test.py, then train longer, tune training.lr, or regularize more."
        )
    if best in ("majority", "mean"):
        return (
            f"A constant guess {does}: the model has learned nothing useful. Check the data and labels "
            "(scripts/check_data.py), then the capacity test (scripts/capacity_test.py)."
        )
    return "Run scripts/check_data.py and scripts/capacity_test.py, then train longer or tune training.lr."
