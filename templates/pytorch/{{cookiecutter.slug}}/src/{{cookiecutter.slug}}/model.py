{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.family ~ "/package/model.py" %}