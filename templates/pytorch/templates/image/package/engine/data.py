    data = build_datasets(cfg, class_to_idx=state["class_to_idx"] if state else None)
    print(
        f"data: {len(data.train)} training and {len(data.val)} validation images, {task.describe(data)} "
        f"(validation: {data.splits.val_source})"
    )
    for note in data.splits.notes:
        print(f"  note: {note}")
    model = build_model(cfg, len(data.classes)).to(device)