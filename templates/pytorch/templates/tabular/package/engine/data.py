    data = build_datasets(cfg, schema=FeatureSchema.from_dict(state["schema"]) if state else None)
    print(
        f"data: {len(data.train)} training and {len(data.val)} validation rows, {len(data.schema.columns)} feature "
        f"columns, {task.describe(data)} (validation: {data.splits.val_source})"
    )
    for note in data.splits.notes:
        print(f"  note: {note}")
    model = build_model(cfg, data.schema).to(device)