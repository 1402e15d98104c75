def run(cfg: dict[str, Any], split: str, max_images: int) -> dict[str, Any]:
    """Fit each baseline on (at most `max_images` of) the training images and score it on `split`."""
    data = build_datasets(cfg, augment=False)  # evaluation transforms for the training images too
    evaluated = data.val if split == "val" else eval_dataset(cfg, split, data.class_to_idx)
    classes = data.classes
    seed = cfg["training"]["seed"]
    chosen = sorted(random.Random(seed).sample(range(len(data.train)), min(max_images, len(data.train))))
    device = pick_device(cfg["training"]["device"])
    backbone, features = feature_extractor(cfg, len(classes), device)
    x_train = extract(backbone, Subset(data.train, chosen), cfg, device, "training images")
    x_eval = extract(backbone, evaluated, cfg, device, f"{split} images")
{%- if f.multilabel %}
    y_all = data.train.targets.numpy().astype(bool)  # (images, labels)
    y_train, y_eval = y_all[chosen], evaluated.targets.numpy().astype(bool)
{%- else %}
    y_all = np.asarray(data.train.targets)
    y_train, y_eval = y_all[chosen], np.asarray(evaluated.targets)
{%- endif %}
    results = {}
    started = time.perf_counter()
{%- if f.multilabel %}
    # each label on its own: predict it on every image when most training images carry it, else on none
    frequency = y_all.mean(axis=0)
    majority = np.tile(frequency, (len(y_eval), 1))
    results["majority"] = {
        "title": "majority per label",
        **scores(y_eval, majority, classes),
        "seconds": round(time.perf_counter() - started, 3),
        "notes": [],
    }
{%- else %}
    from sklearn.dummy import DummyClassifier

    majority = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(y_all), 1)), y_all)  # every image
    predicted = majority.predict(np.zeros((len(y_eval), 1)))
    results["majority"] = {
        "title": "majority class",
        **scores(y_eval, predicted, classes),
        "seconds": round(time.perf_counter() - started, 3),
        "notes": [],
    }
{%- endif %}
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        predicted = linear_probe(x_train, y_train, x_eval)
    title = "linear probe on the backbone" if backbone is not None else "logistic regression on pixels"
    results["linear"] = {
        "title": title,
        **scores(y_eval, predicted, classes),
        "seconds": round(time.perf_counter() - started, 3),
        "notes": notes_of(caught),
    }
    sizes = {"train": len(data.train), split: len(evaluated), "fitted_on": len(chosen)}
    return make_report(cfg, split, results, sizes, task.split_fingerprint(evaluated), features)


def feature_extractor(cfg: dict[str, Any], num_classes: int, device: torch.device) -> tuple[Any, str]:
{%- if f.pretrained %}
    """The project's pretrained backbone and pooling, frozen and without the head, and a description of the
    features; (None, why) when there are no pretrained weights to use: then the pixels are the features."""
    fallback = f"the pixels, downscaled to {PIXELS}x{PIXELS} (x 3 channels)"
    if cfg["model"]["weights"] is None:
        return None, f"{fallback}: model.weights is null, so there is no pretrained backbone"
    try:
        model = build_model(cfg, num_classes)
    except UserError as exc:
        print(f"note: the pretrained backbone is not available ({exc})", file=sys.stderr)
        return None, f"{fallback}: the pretrained weights could not be loaded (offline?)"
    backbone = torch.nn.Sequential(model.features, model.pool).to(device).eval()
    return backbone, f"the frozen pretrained {{ c.model.backbone }} backbone ({cfg['model']['weights']} weights)"
{%- else %}
    """No pretrained backbone in this project (trained from scratch): the features are the pixels."""
    return None, f"the pixels, downscaled to {PIXELS}x{PIXELS} (x 3 channels): the model trains from scratch"
{%- endif %}


@torch.inference_mode()
def extract(backbone: Any, dataset: Dataset, cfg: dict[str, Any], device: torch.device, desc: str) -> np.ndarray:
    """One feature vector per image: the backbone's pooled output, or the downscaled pixels without one."""
    where = device if backbone is not None else torch.device("cpu")
    workers = worker_count(cfg["data"]["num_workers"])
    loader = DataLoader(dataset, batch_size=cfg["training"]["batch_size"], **loader_options(workers, where))
    chunks = []
    for images, _ in tqdm(loader, desc=desc, leave=False, disable=None):
        images = images.to(where, non_blocking=True)
        out = backbone(images) if backbone is not None else F.adaptive_avg_pool2d(images, PIXELS)
        chunks.append(out.flatten(1).float().cpu())
    return torch.cat(chunks).numpy()  # float32: half the memory of float64 for a large split


def linear_probe(x_train: np.ndarray, y_train: np.ndarray, x_eval: np.ndarray) -> np.ndarray:
{%- if f.multilabel %}
    """Per-label probabilities from one logistic regression per label on standardized features (a label the
    fitted images always or never carry gets that constant)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x_train)
    inputs, outputs = scaler.transform(x_train), scaler.transform(x_eval)
    scores = np.zeros((len(x_eval), y_train.shape[1]))
    for label in range(y_train.shape[1]):
        column = y_train[:, label]
        if column.all() or not column.any():
            scores[:, label] = float(column.all())
            continue
        model = LogisticRegression(max_iter=LOGISTIC_ITERATIONS).fit(inputs, column)
        scores[:, label] = model.predict_proba(outputs)[:, 1]
    return scores
{%- else %}
    """Class predictions of a logistic regression on standardized features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if len(np.unique(y_train)) < 2:
        raise UserError("the training images the linear model learns from hold one class only; raise --max-images")
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=LOGISTIC_ITERATIONS))
    return model.fit(x_train, y_train).predict(x_eval)
{%- endif %}
