def advice(best: str, tie: bool) -> str:
    """What to try when a simple model scores as well as the trained one (`tie`), or better."""
    does = "does as well" if tie else "does better"
    if best in ("majority", "mean"):
        return (
            f"A constant guess {does}: the model has learned nothing useful. Check the data and labels "
            "(scripts/check_data.py), then the capacity test (scripts/capacity_test.py)."
        )
    return (
        "Check the data and labels (scripts/check_data.py) and the capacity test (scripts/capacity_test.py), "
        "then train longer{% if f.pretrained %} or unfreeze more layers (model.freeze){% endif %}."
    )
