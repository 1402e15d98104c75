{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.family ~ "/package/data.py" %}