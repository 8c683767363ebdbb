/* Run before Material's bundle (both deferred, in document order: overrides/main.html): what every page
 * carried inline before, now in this one cached file.
 *
 * 0. Material's page configuration (#__config): the page carries its base, the language's np-config.js
 *    (overrides/np-config.js) the rest, the same on every page of the language.
 * 1. Material's storage helpers (its partials/javascripts/base.html, verbatim but for the scope, which is
 *    this language's root, the "base" of the page's __config as it was base_url there).
 * 2. The search dialog's markup (Material's, as overrides/partials/search.html wrote it on every page),
 *    built into the dialog element the page carries, with the strings of the page's language
 *    (window.__np_search, from its np-config.js: overrides/np-config.js), which go on the dialog as
 *    data-np-strings, so Material's bundle and overrides/assets/search.js find what they always did.
 */
(function () {
  "use strict";
  // Material's page configuration: the page's base, with the rest from the language's np-config.js
  var element = document.getElementById("__config");
  var config = Object.assign(JSON.parse(element.textContent), window.__np_config);
  element.textContent = JSON.stringify(config);
  window.__md_scope = new URL(config.base, location);
  // Material's own definitions (partials/javascripts/base.html), as globals
  window.__md_hash = (e) => [...e].reduce(((e, _) => (e << 5) - e + _.charCodeAt(0)), 0);
  window.__md_get = (e, _ = localStorage, t = window.__md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
  window.__md_set = (e, _, t = localStorage, a = window.__md_scope) => {
    try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (err) { /* storage full or off */ }
  };

  var dialog = document.querySelector("[data-np-search]");
  var s = window.__np_search;  // this language's np-config.js, run just before
  if (!dialog || !s || dialog.firstElementChild) return;
  dialog.setAttribute("data-np-strings", JSON.stringify(s));  // overrides/assets/search.js reads them there
  var sprite = new URL("icons.svg", document.currentScript.src).href;
  var SVG = "http://www.w3.org/2000/svg";

  function icon(name) {  // as mkdocs_hooks._sprite_refs writes the interface icons into pages
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    var use = document.createElementNS(SVG, "use");
    use.setAttribute("href", sprite + "#" + name);
    svg.appendChild(use);
    return svg;
  }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    for (var i = 2; i < arguments.length; i++) node.append(arguments[i]);
    return node;
  }

  dialog.append(
    el("label", {"class": "md-search__overlay", "for": "__search"}),
    el("div", {"class": "md-search__inner", "role": "search"},
      el("form", {"class": "md-search__form", "name": "np-search", "action": "#"},
        el("input", {"type": "text", "class": "md-search__input", "name": "query", "aria-label": s.label,
                     "placeholder": s.label, "autocapitalize": "off", "autocorrect": "off", "autocomplete": "off",
                     "spellcheck": "false", "enterkeyhint": "search", "required": ""}),
        el("label", {"class": "md-search__icon md-icon", "for": "__search", "title": s.reset},
          icon("magnify"), icon("arrow-left")),
        el("nav", {"class": "md-search__options", "aria-label": s.search},
          el("button", {"type": "reset", "class": "md-search__icon md-icon", "title": s.reset,
                        "aria-label": s.reset, "tabindex": "-1"}, icon("close")))),
      el("div", {"class": "md-search__output"},
        el("div", {"class": "md-search__scrollwrap", "tabindex": "0", "data-md-scrollfix": ""},
          el("div", {"class": "md-search-result", "aria-live": "polite"},
            el("div", {"class": "md-search-result__meta"}, s.placeholder),
            el("ol", {"class": "md-search-result__list"}))))));
})();
