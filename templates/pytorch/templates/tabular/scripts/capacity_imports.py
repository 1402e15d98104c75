from {{ c.slug }}.data import build_datasets  # noqa: E402
from {{ c.slug }}.errors import UserError  # noqa: E402
{%- if f.regression %}
from {{ c.slug }}.losses import build_loss  # noqa: E402
{%- endif %}