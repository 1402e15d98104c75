{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.family ~ "/tests/conftest.py" %}