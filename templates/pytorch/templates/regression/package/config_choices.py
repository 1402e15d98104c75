    "target.loss": ("mse", "huber"),
    "regularization.early_stopping.monitor": ("val_loss", "val_mae", "val_rmse", "val_r2"),