from {{ c.slug }}.data import ImageDataset, check_labels, class_mapping, find_splits  # noqa: E402
from {{ c.slug }}.errors import DataError, UserError  # noqa: E402