METRICS = ("macro_f1", "micro_f1", "accuracy", "exact_match")  # every label decided at probability 0.5
DEFAULT_METRIC = "macro_f1"  # compared with the model unless early_stopping.monitor names another of METRICS
LOWER_IS_BETTER: tuple[str, ...] = ()


def scores(y_true: np.ndarray, probabilities: np.ndarray, labels: list[str]) -> dict[str, float]:
    """Macro and micro F1, per-label accuracy and exact matches at probability 0.5, as evaluate.py computes them."""
    report = metrics.multilabel_report(y_true.tolist(), probabilities.tolist(), labels, [0.5] * len(labels))
    return {name: report[name] for name in METRICS}
