{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.variant ~ "/tests/test_data.py" %}