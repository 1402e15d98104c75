METRICS = ("mae", "rmse", "r2")  # as evaluate.py reports them, in the target's own units
DEFAULT_METRIC = "r2"  # compared with the model unless early_stopping.monitor names another of METRICS
LOWER_IS_BETTER = ("mae", "rmse")


def scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """MAE, RMSE and R² in the target's own units, by the function evaluate.py uses."""
    report = metrics.regression_report(y_true.tolist(), np.asarray(y_pred, dtype=np.float64).tolist())
    return {name: report[name] for name in METRICS}
