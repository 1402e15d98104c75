METRICS = ("accuracy", "macro_f1")  # as evaluate.py reports them
DEFAULT_METRIC = "accuracy"  # compared with the model unless early_stopping.monitor names another of METRICS
LOWER_IS_BETTER: tuple[str, ...] = ()


def scores(y_true: np.ndarray, y_pred: np.ndarray, classes: list[str]) -> dict[str, float]:
    """Accuracy and macro F1, by the function evaluate.py uses."""
    report = metrics.classification_report(np.asarray(y_true).tolist(), np.asarray(y_pred).tolist(), classes)
    return {name: report[name] for name in METRICS}
