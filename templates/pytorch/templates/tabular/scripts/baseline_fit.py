def run(cfg: dict[str, Any], split: str) -> dict[str, Any]:
    """Fit each baseline on the training split, exactly as encoded for the network, and score it on `split`."""
    data = build_datasets(cfg)  # the split and the feature schema of training (fitted on the training rows)
    evaluated = data.val if split == "val" else eval_dataset(cfg, split, data.schema)
    x_train, x_eval = data.train.features.numpy(), evaluated.features.numpy()
{%- if f.regression %}
    # the network learns standardized targets when target.standardize is true: back to the target's own units
    y_train = data.schema.unscale(data.train.targets).numpy().astype(np.float64)
    y_eval = data.schema.unscale(evaluated.targets).numpy().astype(np.float64)
{%- else %}
    y_train, y_eval = data.train.labels.numpy(), evaluated.labels.numpy()
{%- endif %}
    categories = [count for count, _ in data.schema.embedding_sizes]  # columns after the dense block
    results = {}
    for name, (title, model) in tabular_models(data.schema.dense_width, categories, cfg).items():
        started = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(x_train, y_train)
            predicted = model.predict(x_eval)
        results[name] = {
            "title": title,
            **scores(y_eval, predicted{% if not f.regression %}, data.classes{% endif %}),
            "seconds": round(time.perf_counter() - started, 3),
            "notes": notes_of(caught),
        }
    encoding = (
        f"the project's encoding of {len(data.schema.columns)} columns: {data.schema.dense_width} dense "
        f"inputs (standardized numbers, missing indicators, one-hot blocks)"
        + (f" and {len(categories)} embedded category column(s) (one-hot for the linear model)" if categories else "")
    )
    sizes = {"train": len(data.train), split: len(evaluated)}
    return make_report(cfg, split, results, sizes, task.split_fingerprint(evaluated), encoding)


def tabular_models(dense: int, categories: list[int], cfg: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """name: (title, unfitted model), simplest first."""
    from sklearn.compose import ColumnTransformer
{%- if f.regression %}
    from sklearn.dummy import DummyRegressor
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import Ridge
{%- else %}
    from sklearn.dummy import DummyClassifier
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
{%- endif %}
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    width = dense + len(categories)
    # The numbers are standardized already; scaling the 0/1 indicator and one-hot inputs as well puts every
    # input on one scale for the penalty. Embedded columns hold category indices: one-hot them for a linear model.
    linear_inputs = ColumnTransformer(
        [
            ("dense", StandardScaler(), list(range(dense))),
            ("categories", OneHotEncoder(handle_unknown="ignore"), list(range(dense, width))),
        ]
    )
    # gradient boosting splits category indices as categories (when they fit its bins), everything else as numbers
    mask = [False] * dense + [count < MAX_BINS for count in categories]
    categorical = mask if any(mask) else None
    seed = cfg["training"]["seed"]
{%- if f.regression %}
    return {
        "mean": ("mean of the training targets", DummyRegressor(strategy="mean")),
        "ridge": ("Ridge regression", make_pipeline(linear_inputs, Ridge(alpha=1.0))),
        "gradient_boosting": (
            "HistGradientBoosting",
            HistGradientBoostingRegressor(categorical_features=categorical, random_state=seed),
        ),
    }
{%- else %}
    return {
        "majority": ("majority class", DummyClassifier(strategy="most_frequent")),
        "logistic": (
            "logistic regression",
            make_pipeline(linear_inputs, LogisticRegression(max_iter=LOGISTIC_ITERATIONS)),
        ),
        "gradient_boosting": (
            "HistGradientBoosting",
            HistGradientBoostingClassifier(categorical_features=categorical, random_state=seed),
        ),
    }
{%- endif %}
