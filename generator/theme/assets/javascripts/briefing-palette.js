{#- The lean theme shell's palette script (a Jinja template: config.py lists it in the theme's
    static_templates, so MkDocs renders it once per build from the site's `theme.palette`).
    theme/lean.html loads it right after the header's empty palette form, as a plain
    (blocking) script, so it runs before the rest of the page is parsed or painted:
    1. it fills the form with the inputs and labels Material's partials/palette.html writes
       (icons from briefing-lean.css where it has them), the same on every page: one cached
       file instead of a copy in each of an archive's pages; Material's bundle, at the end of
       the body, then finds the form as on any other page and runs the toggle;
    2. it applies the reader's saved scheme: Material 9.8.2's partials/javascripts/palette.html,
       verbatim (tests/test_lean_shell.py checks it against the installed Material).
    Without a palette list (none, or an empty one) there is no form; with a single (mapping)
    palette lean.html loads no script at all, as Material's header does. -#}
{%- from "partials/briefing-icons.html" import icon %}
{%- if config.theme.palette and config.theme.palette is not mapping %}
{%- set markup %}
{%- for option in config.theme.palette %}
<input class="md-option" data-md-color-media="{{ option.media }}" data-md-color-scheme="{{ option.scheme | d('default', true) | replace(' ', '-') }}" data-md-color-primary="{{ option.primary | d('indigo', true) | replace(' ', '-') }}" data-md-color-accent="{{ option.accent | d('indigo', true) | replace(' ', '-') }}" {% if option.toggle %}aria-label="{{ option.toggle.name }}"{% else %}aria-hidden="true"{% endif %} type="radio" name="__palette" id="__palette_{{ loop.index0 }}">
{%- if option.toggle %}
<label class="md-header__button md-icon" title="{{ option.toggle.name }}" for="__palette_{{ loop.index % loop.length }}" hidden>{{ icon(option.toggle.icon) }}</label>
{%- endif %}
{%- endfor %}
{% endset -%}
(function(form){if(form&&form.matches("form[data-md-component=palette]"))form.innerHTML={{ markup | tojson }}})(document.currentScript.previousElementSibling);
{% endif -%}
{% raw %}var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}{% endraw %}
