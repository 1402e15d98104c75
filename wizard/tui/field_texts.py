"""Provides the questions' labels and help lines in English and Chinese (the catalogue of the fields)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "project.name": "Name", "project.slug": "Package name", "project.description": "Description",
        "project.author": "Author", "task": "Task", "data.path": "Data path", "data.layout": "Layout",
        "data.label_column": "Label column", "data.label_columns": "Label columns", "data.image_column": "Image column",
        "data.val_fraction": "Validation share", "data.image_size": "Image size", "data.exclude": "Left out",
        "data.domain": "Images show", "data.mirror_keeps_label": "Mirror keeps label",
        "model.hidden_sizes": "Hidden layers",
        "model.source": "Weights",
        "model.backbone": "Backbone", "model.freeze": "Freeze", "model.unfreeze_epoch": "Unfreeze at epoch",
        "model.head_dropout": "Head dropout", "model.multiscale_pooling": "Multi-scale pooling",
        "normalization": "Normalization", "regularization.augmentation": "Augmentation", "regularization.l1": "L1",
        "regularization.l2": "L2 / weight decay", "regularization.dropconnect": "DropConnect",
        "regularization.spatial_dropout": "Spatial dropout", "regularization.early_stopping.enabled": "Early stopping",
        "regularization.early_stopping.patience": "Patience", "regularization.early_stopping.monitor": "Monitor",
        "regularization.early_stopping.min_delta": "Min. improvement", "imbalance.strategy": "Strategy",
        "imbalance.focal_gamma": "Focal gamma", "training.batch_size": "Batch size", "training.epochs": "Epochs",
        "training.optimizer": "Optimizer", "training.lr": "Learning rate", "training.scheduler": "Scheduler",
        "training.precision": "Precision", "training.distributed": "Distributed", "training.seed": "Seed",
    },
    "zh": {
        "project.name": "名称", "project.slug": "包名", "project.description": "描述", "project.author": "作者",
        "task": "任务", "data.path": "数据路径", "data.layout": "数据格式", "data.label_column": "标签列",
        "data.label_columns": "多个标签列", "data.image_column": "图像列", "data.val_fraction": "验证集比例",
        "data.image_size": "图像尺寸", "data.exclude": "排除", "model.source": "权重来源", "model.backbone": "骨干网络",
        "data.domain": "图像内容", "data.mirror_keeps_label": "镜像后标签不变", "model.hidden_sizes": "隐藏层",
        "model.freeze": "冻结", "model.unfreeze_epoch": "解冻轮次", "model.head_dropout": "分类头 Dropout",
        "model.multiscale_pooling": "多尺度池化", "normalization": "归一化", "regularization.augmentation": "数据增强",
        "regularization.l1": "L1", "regularization.l2": "L2 / 权重衰减", "regularization.dropconnect": "DropConnect",
        "regularization.spatial_dropout": "空间 Dropout", "regularization.early_stopping.enabled": "早停",
        "regularization.early_stopping.patience": "耐心轮数", "regularization.early_stopping.monitor": "监控指标",
        "regularization.early_stopping.min_delta": "最小改进", "imbalance.strategy": "策略",
        "imbalance.focal_gamma": "Focal gamma", "training.batch_size": "批大小", "training.epochs": "轮数",
        "training.optimizer": "优化器", "training.lr": "学习率", "training.scheduler": "学习率调度",
        "training.precision": "数值精度", "training.distributed": "分布式", "training.seed": "随机种子",
    },
}

# The field help is the answers model's docstring in English; these are its Chinese translations.
HELP_ZH: dict[str, str] = {
    "project.name": "项目的名称（自由文本）。",
    "project.slug": "项目的 Python 包名；留空则由名称生成。",
    "project.description": "一句话描述（自由文本）。",
    "project.author": "作者或团队（自由文本）。",
    "task": "模型要预测什么。",
    "data.path": "数据位置：ImageFolder 根目录或 CSV 文件。",
    "data.layout": "数据的组织方式；auto 自动识别。",
    "data.label_column": "CSV：目标列（多标签：一列用分隔符分开的标签）。",
    "data.label_columns": "多标签以多个 0/1 列给出（逗号分隔；留空则用标签列）。",
    "data.image_column": "图像清单 CSV：存放图像路径的列（相对 CSV 所在位置）。",
    "data.val_fraction": "数据没有自带验证集时，留作验证的比例。",
    "data.image_size": "图像缩放/裁剪后的边长（像素）。",
    "data.domain": "图像：内容是什么——natural（与 ImageNet 相似的照片）、documents（文字、数字、符号）、medical（医学）、"
                   "aerial（航拍或卫星）、microscopy（显微）、drawings（绘画或合成渲染）、other（其他）。",
    "data.mirror_keeps_label": "图像：镜像后标签不变（文字和数字不是；左右有意义的影像也不是）。",
    "model.hidden_sizes": "表格：MLP 每个隐藏层的宽度（1 到 6 层）。",
    "data.exclude": "训练不使用的图像：相对于数据文件夹的路径（逗号分隔；文件夹以 / 结尾）。",
    "model.source": "从预训练权重开始，还是从头训练。",
    "model.backbone": "网络结构（预训练：torchvision/timm 名称；从头：simple-cnn 或 mlp）。",
    "model.freeze": "训练时哪些预训练层保持冻结。",
    "model.unfreeze_epoch": "freeze: gradual 时，从哪一轮开始训练整个骨干网络。",
    "model.head_dropout": "分类头之前（以及隐藏全连接层中）的 Dropout 比例。",
    "model.multiscale_pooling": "在分类头前做空间金字塔池化（1x1、2x2、4x4），捕捉多尺度上下文。",
    "normalization": "网络的归一化层。",
    "regularization.augmentation": "训练时的图像增强（只用于训练集）。",
    "regularization.l1": "权重的 L1 惩罚系数（稀疏权重；0 表示关闭）。",
    "regularization.l2": "权重的 L2 衰减，不作用于归一化层和偏置参数。",
    "regularization.dropconnect": "分类头线性层权重上的 DropConnect 比例。",
    "regularization.spatial_dropout": "从头训练的 CNN 前几个卷积块之后的 Dropout2d 比例。",
    "regularization.early_stopping.enabled": "监控的指标不再提升时停止训练。",
    "regularization.early_stopping.patience": "没有提升时再等待的轮数。",
    "regularization.early_stopping.monitor": "用于判断是否提升的验证指标。",
    "regularization.early_stopping.min_delta": "算作提升的最小变化量。",
    "imbalance.strategy": "如何纠正类别不平衡。",
    "imbalance.focal_gamma": "focal：聚焦参数 gamma。",
    "training.batch_size": "每步的样本数（DDP 下为每块 GPU）。",
    "training.epochs": "遍历训练数据的最多次数。",
    "training.optimizer": "优化器。",
    "training.lr": "学习率。",
    "training.scheduler": "学习率调度。",
    "training.precision": "数值精度（auto：CUDA 上用 bf16/fp16 自动混合精度，CPU 上用 fp32）。",
    "training.distributed": "ddp：在 torchrun 下使用 DistributedDataParallel。",
    "training.seed": "数据划分、初始化和打乱所用的随机种子。",
}

def label(lang: str, key: str) -> str:
    """The short label of an answers key."""
    return LABELS.get(lang, LABELS["en"]).get(key) or LABELS["en"].get(key, key)


# Where the UI's help must differ from the docstring (in the UI, a typed path is relative to the current folder).
HELP_UI: dict[str, dict[str, str]] = {
    "en": {"data.path": "Dataset location: an ImageFolder root or a CSV file (relative to the current folder)."},
    "zh": {"data.path": "数据位置：ImageFolder 根目录或 CSV 文件（相对当前文件夹）。"},
}


def help_text(lang: str, key: str, description: str) -> str:
    """The help line of a question: the model's docstring, or its translation."""
    override = HELP_UI.get(lang, {}).get(key)
    if override:
        return override
    return HELP_ZH.get(key, description) if lang == "zh" else description
