{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.kind ~ "/tests/test_losses.py" %}