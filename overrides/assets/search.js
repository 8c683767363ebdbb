/* noticepub search: Pagefind's JS API behind Material's search box, with exact Chinese matching.
 *
 * Nothing is fetched until the reader types: then pagefind.js (with its WebAssembly and the chunks of
 * the index the query needs) and, on Chinese sites, the character map np-chars.txt.
 *
 * The index holds Chinese as overlapping bigrams (scripts/noticepub/search_index.py): 养老机构 is indexed
 * as "养老 老机 机构 构", each token written in ASCII (Pagefind 1.5.2 finds non-ASCII words wrongly in large
 * indexes). A query is tokenized the same way, so every page containing it is a candidate;
 * candidates are then checked against the page text (decoded from the tokens) and kept only when they
 * contain the query itself. Characters are compared through classes of equivalent Simplified and
 * Traditional forms (为/為/爲), so either script finds the page on either site.
 */
(function () {
  "use strict";
  var dialog = document.querySelector("[data-np-search]");
  if (!dialog) return;
  var form = dialog.querySelector("form");
  var input = form.querySelector("input[name=query]");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var strings = JSON.parse(dialog.getAttribute("data-np-strings"));
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var chinese = /^zh/.test(document.documentElement.lang);

  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var HAN_RUN = new RegExp("[" + HAN + "]+", "gu");
  var CODE = "x[0-9a-f]{5}";
  var TOKEN_PAIR = new RegExp("(?<![0-9A-Za-z])x([0-9a-f]{5})" + CODE + " (?=" + CODE + ")", "g");
  var CODE_RUN = new RegExp("(?<![0-9A-Za-z])(?:" + CODE + ")+(?![0-9A-Za-z])", "g");
  var ONLY_HAN = new RegExp("^[" + HAN + "]+$", "u");
  var SPACE_IN_HAN = new RegExp("(?<=[" + HAN + "]) +| +(?=[" + HAN + "])", "gu");
  var PAGE = 10;          // results shown at a time
  var MAX_VARIANTS = 16;  // spellings of one query searched (Simplified/Traditional alternatives)

  var engine = null;      // Promise of {pagefind, fold, expand}
  var current = 0;        // the latest search; older ones stop when they see it changed
  var state = null;       // {id, verified, pending, overflow, match}
  var timing = {};        // milliseconds since the reader typed, for the benchmark (scripts/bench_site.py)

  function t(key, n) { return strings[key].replace("#", n); }

  /* Tokens are written in ASCII, "x" and five hex digits per character (search_index.encode). */
  function encode(token) {
    var out = "";
    for (var c of token) out += "x" + c.codePointAt(0).toString(16).padStart(5, "0");
    return out;
  }

  /* The page text as written: x0517bx08001 x08001x0673a x0673ax06784 x06784 -> 养老机构 (search_index.detokenize). */
  function detokenize(text) {
    return text.replace(TOKEN_PAIR, "x$1").replace(CODE_RUN, function (run) {
      var out = "";
      for (var i = 0; i < run.length; i += 6) out += String.fromCodePoint(parseInt(run.slice(i + 1, i + 6), 16));
      return ONLY_HAN.test(out) ? out : run;
    }).replace(SPACE_IN_HAN, "");
  }

  /* 养老机构 -> its bigrams 养老 老机 机构, encoded; one character stays itself (Pagefind matches it as a
     prefix of the bigrams that start with it). */
  function tokenize(text) {
    return text.replace(HAN_RUN, function (run) {
      var chars = Array.from(run), out = [];
      if (chars.length === 1) return " " + encode(run) + " ";
      for (var i = 0; i + 1 < chars.length; i++) out.push(encode(chars[i] + chars[i + 1]));
      return " " + out.join(" ") + " ";
    }).replace(/\s+/g, " ").trim();
  }

  function loadCharmap() {
    if (!chinese) return Promise.resolve({fold: {}, expand: {}});
    return fetch(new URL("pagefind/np-chars.txt", root)).then(function (r) {
      if (!r.ok) throw new Error("np-chars.txt: " + r.status);
      return r.text();
    }).then(function (text) {
      var fold = {}, expand = {};
      text.split("\n").forEach(function (line) {
        if (!line) return;
        var parts = line.split("\t"), site = Array.from(parts[0]), all = site.concat(Array.from(parts[1] || ""));
        all.forEach(function (c) { fold[c] = all[0]; });
        expand[all[0]] = site;
      });
      return {fold: fold, expand: expand};
    });
  }

  /* The index is cut into shards (pagefind/0/, pagefind/1/ …, listed in np-shards.json) so that a changed
     notice re-indexes one of them: the first is loaded with its WebAssembly, the others are merged into
     it and searched together (one result list, ranked by score). */
  function loadIndex() {
    return fetch(new URL("pagefind/np-shards.json", root)).then(function (r) {
      if (!r.ok) throw new Error("np-shards.json: " + r.status);
      return r.json();
    }).then(function (data) {
      var shards = data.shards || [];
      if (!shards.length) throw new Error("no search index");
      return import(new URL("pagefind/" + shards[0] + "pagefind.js", root).href).then(function (pagefind) {
        return pagefind.options({baseUrl: root.pathname, excerptLength: 0}).then(function () {
          return pagefind.init();
        }).then(function () {
          return Promise.all(shards.slice(1).map(function (shard) {
            return pagefind.mergeIndex(new URL("pagefind/" + shard, root).pathname, {baseUrl: root.pathname});
          }));
        }).then(function () { return pagefind; });
      });
    });
  }

  function load() {
    if (!engine) {
      engine = Promise.all([loadIndex(), loadCharmap()])
        .then(function (parts) {
          return {pagefind: parts[0], fold: parts[1].fold, expand: parts[1].expand};
        });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function foldText(text, fold) {
    var out = "";
    for (var c of text) out += fold[c] || c;
    return out;
  }

  /* Every spelling of the query in the characters the site uses (at most MAX_VARIANTS). */
  function variants(query, eng) {
    var out = [""];
    for (var c of query) {
      var options = eng.expand[eng.fold[c] || c] || [c];
      var next = [];
      out.forEach(function (prefix) {
        options.forEach(function (o) { if (next.length < MAX_VARIANTS) next.push(prefix + o); });
      });
      out = next.length ? next : out.map(function (p) { return p + c; });
    }
    return out;
  }

  /* Pagefind gives every candidate's matched word positions without fetching its text. A Han query of k
     characters is k-1 bigrams at consecutive positions wherever the page contains it, so a candidate
     without such a chain cannot contain it (养老 … 老机 … 机构 scattered over a page): dropped before
     its fragment is fetched. The fragment check afterwards stays the judge. */
  function chained(query) {
    var q = query.replace(/\s+/g, "");
    var k = Array.from(q).length;
    if (k < 3 || !new RegExp("^[" + HAN + "]+$", "u").test(q)) return function () { return true; };
    return function (result) {
      var words = new Set(result.words || []);
      return (result.words || []).some(function (p) {
        for (var i = 1; i < k - 1; i++) if (!words.has(p + i)) return false;
        return true;
      });
    };
  }

  /* Candidates of every spelling of the query, best first, each page once. */
  function candidates(query, eng) {
    return Promise.all(variants(query, eng).map(function (v) { return eng.pagefind.search(tokenize(v)); }))
      .then(function (found) {
        var seen = {}, out = [], keep = chained(query);
        found.forEach(function (f) {
          (f && f.results || []).forEach(function (r) {
            if (!seen[r.id] && keep(r)) { seen[r.id] = true; out.push(r); }
          });
        });
        return out.sort(function (a, b) { return b.score - a.score; });
      });
  }

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  /* A matcher of the query in a page text: Chinese exactly (after folding both scripts), other words
     case-insensitively from the start of a word ("care" finds "care" and "caregivers", not "healthcare"). */
  function matcher(query, eng) {
    var q = foldText(detokenize(query.replace(/\s+/g, " ").trim()), eng.fold);
    var start = /^[\p{L}\p{N}]/u.test(q) && !new RegExp("^[" + HAN + "]", "u").test(q)
      ? "(?<=^|[^\\p{L}\\p{N}]|[" + HAN + "])" : "";
    var pattern = new RegExp(start + escapeRegExp(q).replace(/ /g, "\\s+"), "iu");
    return function (text) {
      var folded = foldText(text, eng.fold);
      var m = pattern.exec(folded);
      return m ? {index: m.index, length: m[0].length} : null;
    };
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; });
  }

  function excerpt(text, hit) {
    var before = chinese ? 30 : 80, after = chinese ? 70 : 160;
    var from = Math.max(0, hit.index - before), to = Math.min(text.length, hit.index + hit.length + after);
    return (from > 0 ? "…" : "") + escapeHtml(text.slice(from, hit.index)) + "<mark>" +
      escapeHtml(text.slice(hit.index, hit.index + hit.length)) + "</mark>" +
      escapeHtml(text.slice(hit.index + hit.length, to)) + (to < text.length ? "…" : "");
  }

  function item(result) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.innerHTML = "<a class=\"md-search-result__link\"><article class=\"md-search-result__article md-typeset\">" +
      "<div class=\"md-search-result__icon md-icon\"></div><h1></h1><p></p></article></a>";
    var a = li.querySelector("a");
    a.href = result.url;
    li.querySelector("h1").textContent = result.title;
    li.querySelector("p").innerHTML = result.excerpt;
    return li;
  }

  /* The count: exact once every candidate is checked. Before that, for a Han query the candidates left
     (their bigrams adjacent on the page) are counted too, as they practically all contain it; for other
     queries (words anywhere on the page) it says "at least". */
  function showMeta() {
    var n = state.verified + (state.han ? state.pending.length : 0);
    if (state.pending.length === 0 || state.han) {
      meta.textContent = n === 0 ? strings.none : n === 1 ? strings.one : t("other", n);
    } else {
      meta.textContent = t("atLeast", n);
    }
  }

  function moreButton() {
    var li = document.createElement("li");
    li.className = "md-search-result__item np-search-more";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.textContent = strings.more;
    button.addEventListener("click", function () { li.remove(); next(state.id, PAGE); });
    li.appendChild(button);
    return li;
  }

  /* Check candidates in rank order (five fragments at a time) until `want` more results are shown. */
  function next(id, want) {
    var shown = 0;
    function drain() {
      while (shown < want && state.overflow.length) { shown++; list.appendChild(item(state.overflow.shift())); }
      if (shown && !timing.shown) timing.shown = performance.now() - timing.typed;
    }
    function step() {
      if (id !== current) return undefined;
      drain();
      if (shown >= want || state.pending.length === 0) {
        if (state.pending.length > 0 || state.overflow.length > 0) list.appendChild(moreButton());
        showMeta();
        return undefined;
      }
      // five fragments requested at once, checked in rank order as each arrives (the first result shows
      // as soon as its own fragment is in)
      var loads = state.pending.splice(0, 5).map(function (r) { return r.data(); });
      return loads.reduce(function (chain, load) {
        return chain.then(function () {
          return load.then(function (page) {
            if (id !== current) return;
            var text = detokenize(page.content), hit = state.match(text);
            if (!hit) return;
            state.verified++;
            // the excerpt shows the match in the body when there is one (the content starts with the title)
            var title = detokenize(page.meta.title || "");
            var body = title && text.indexOf(title) === 0 ? text.slice(title.length) : text;
            var bodyHit = state.match(body);
            state.overflow.push({url: page.url, title: title, excerpt: bodyHit ? excerpt(body, bodyHit) : excerpt(text, hit)});
            drain();
          });
        });
      }, Promise.resolve()).then(step);
    }
    return Promise.resolve(step());
  }

  function search(query) {
    var id = ++current;
    query = query.normalize("NFKC").trim();
    list.textContent = "";
    if (!query) { meta.textContent = strings.placeholder; return Promise.resolve(); }
    meta.textContent = strings.loading;
    timing.debounced = performance.now() - timing.typed;
    return load().then(function (eng) {
      if (id !== current) return;
      timing.loaded = performance.now() - timing.typed;
      return candidates(query, eng).then(function (found) {
        if (id !== current) return undefined;
        timing.searched = performance.now() - timing.typed;
        var han = new RegExp("^[" + HAN + "]+$", "u").test(query.replace(/\s+/g, ""));
        state = {id: id, verified: 0, pending: found, overflow: [], han: han, match: matcher(query, eng)};
        return next(id, PAGE);
      });
    }).catch(function (error) {
      if (id !== current) return;
      meta.textContent = strings.error;
      console.warn("noticepub search:", error);
    });
  }

  var timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 120);
  }

  function open() {
    if (!toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
  }
  function close() {
    if (toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    input.blur();
  }

  /* while the reader types, fetch the index chunks the query will need (Pagefind's preload) */
  function preload() {
    var query = input.value.normalize("NFKC").trim();
    if (!query) return;
    load().then(function (eng) {
      variants(query, eng).forEach(function (v) { eng.pagefind.preload(tokenize(v)); });
    }).catch(function () {});
  }

  input.addEventListener("input", function (e) {
    timing = {typed: performance.now()};
    if (!e.isComposing) { preload(); schedule(); }
  });
  input.addEventListener("compositionend", schedule);
  input.addEventListener("focus", function () { open(); load().catch(function () {}); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a.md-search-result__link");
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(""); input.focus(); }, 0);
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked && document.activeElement !== input) input.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (toggle.checked && e.key === "Escape") { e.preventDefault(); close(); return; }
    var target = e.target;
    var typing = target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
    if (!toggle.checked && !typing && (e.key === "/" || e.key === "s" || e.key === "f") && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      open();
      input.focus();
    }
  });
  list.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a.md-search-result__link")) close();
  });

  /* for tests and the benchmark: the same pipeline, without the dialog */
  window.noticepubSearch = {
    timing: function () { return timing; },
    tokenize: tokenize,
    detokenize: detokenize,
    /* every matching page URL (checks all candidates) */
    all: function (query) {
      return load().then(function (eng) {
        query = query.normalize("NFKC").trim();
        var match = matcher(query, eng);
        return candidates(query, eng).then(function (found) {
          return Promise.all(found.map(function (r) { return r.data(); }));
        }).then(function (pages) {
          return pages.filter(function (p) { return match(detokenize(p.content)); }).map(function (p) { return p.url; });
        });
      });
    }
  };
})();
