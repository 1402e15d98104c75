{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.kind ~ "/package/metrics.py" %}