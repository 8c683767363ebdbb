/* noticepub search: Material's search box over the static index of scripts/noticepub/search_index.py.
 *
 * Nothing is fetched until the reader types: then np-search/index.json (a few hundred bytes), the
 * character map (only for a query with Han characters) and, per query, one small bucket per list of
 * documents it reads (at most six), then the text packs of the results shown.
 *
 * Text is compared normalized (search_index.normalize, the same string character by character): NFKC,
 * lower case, Simplified/Traditional forms folded to one character, punctuation and spaces dropped,
 * one space before each word of a non-Han script. A query of one, two or three characters reads the
 * list of documents of that character, bigram or trigram: exact, no page fetched. A longer query
 * intersects its trigrams' lists and checks the candidates against their text before showing them.
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
  var base = new URL("np-search/", root);
  var chinese = /^zh/.test(document.documentElement.lang);

  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var IS_HAN = new RegExp("^[" + HAN + "]$", "u");
  var HAS_HAN = new RegExp("[" + HAN + "]", "u");
  var IS_WORD = /^[\p{L}\p{N}]$/u;  // Python's [^\W_]
  var CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;
  var PAGE = 10;          // results shown at a time

  var index = null;       // Promise of index.json
  var folding = null;     // Promise of {character: root of its class}
  var files = new Map();  // file name -> Promise of its parsed JSON
  var current = 0;        // the latest search; older ones stop when they see it changed
  var state = null;
  var timing = {};        // milliseconds since the reader typed, for the benchmark (scripts/bench_site.py)

  function t(key, n) { return strings[key].replace("#", n); }

  /* A file of the index: gzip'd JSON, decompressed here (a server that compressed it again for the
     transfer has been undone by the browser already: then it is plain JSON). */
  function parse(response) {
    if (!response.ok) throw new Error(response.url + ": " + response.status);
    return response.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text();
    }).then(JSON.parse);
  }

  function load() {
    if (!index) {
      index = fetch(new URL("index.json", base), {cache: "no-cache"}).then(function (r) {
        if (!r.ok) throw new Error("index.json: " + r.status);
        return r.json();
      });
      index.catch(function () { index = null; });
    }
    return index;
  }

  function file(name, idx) {
    var key = idx.version + "/" + name;
    if (!files.has(key)) {
      var p = fetch(new URL(name + "?v=" + idx.version, base)).then(parse);
      p.catch(function () { files.delete(key); });
      files.set(key, p);
    }
    return files.get(key);
  }

  function loadFolding(idx) {
    if (!folding) {
      folding = file("chars.json.gz", idx).then(function (lines) {
        var fold = {};
        lines.forEach(function (line) {
          var chars = Array.from(line);
          chars.forEach(function (c) { fold[c] = chars[0]; });
        });
        return fold;
      });
      folding.catch(function () { folding = null; });
    }
    return folding;
  }

  /* search_index.normalize; with `map`, map[i] is the index in `text` of the character that gave
     character i of the result (a word's leading space: the word's first character). */
  function normalize(text, fold, map) {
    var out = "", prev = 0, sep = false, i = 0;  // prev: 0 nothing yet, 1 Han, 2 word character
    for (var c of text.match(CLUSTER) || []) {  // a character with its combining marks, as NFKC composes them
      for (var d of c.normalize("NFKC").toLowerCase()) {
        if (IS_HAN.test(d)) {
          out += (fold && fold[d]) || d;
          if (map) map.push(i);
          prev = 1; sep = false;
        } else if (IS_WORD.test(d)) {
          if (prev !== 2 || sep) { out += " "; if (map) map.push(i); }
          out += d;
          if (map) map.push(i);
          prev = 2; sep = false;
        } else {
          sep = true;
        }
      }
      i += c.length;
    }
    return out;
  }

  function hash(text) {  // 32-bit FNV-1a over code points (search_index.fnv1a)
    var h = 0x811c9dc5;
    for (var c of text) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
    return h;
  }

  function ids(deltas) {
    var out = new Array(deltas.length), n = 0;
    for (var i = 0; i < deltas.length; i++) { n += deltas[i]; out[i] = n; }
    return out;
  }

  function intersect(lists) {
    lists.sort(function (a, b) { return a.length - b.length; });
    var result = lists[0] || [];
    for (var k = 1; k < lists.length && result.length; k++) {
      var other = lists[k], out = [], j = 0;
      for (var i = 0; i < result.length; i++) {
        while (j < other.length && other[j] < result[i]) j++;
        if (j < other.length && other[j] === result[i]) out.push(result[i]);
      }
      result = out;
    }
    return result;
  }

  /* The query as the index reads it, and how to find its documents. */
  function plan(query, idx, fold) {
    var q = normalize(query, fold);
    if (!idx.wordStart && q[0] === " ") q = q.slice(1);  // Chinese sites: any substring
    var chars = Array.from(q), k = chars.length;
    if (!k) return null;
    if (k === 1) return {q: q, exact: true, keys: [q], files: ["c/" + (hash(q) % idx.chars) + ".json.gz"]};
    if (k === 2) return {q: q, exact: true, keys: [q], files: ["b/" + (hash(q) % idx.bigrams) + ".json.gz"]};
    var grams = [];
    for (var i = 0; i + 3 <= k; i++) grams.push(chars.slice(i, i + 3).join(""));
    if (grams.length > idx.maxGrams) {  // a long query: trigrams spread over it, the first and last kept
      var picked = [];
      for (var m = 0; m < idx.maxGrams; m++) picked.push(grams[Math.round(m * (grams.length - 1) / (idx.maxGrams - 1))]);
      grams = picked;
    }
    return {q: q, exact: k === 3, keys: grams,
            files: grams.map(function (g) { return "g/" + (hash(g) % idx.grams) + ".json.gz"; })};
  }

  /* The documents that (may) contain the query, newest first. */
  function candidates(p, idx) {
    return Promise.all(p.files.map(function (name) { return file(name, idx); })).then(function (buckets) {
      return intersect(p.keys.map(function (key, n) { return ids(buckets[n][key] || []); })).reverse();
    });
  }

  function documentOf(id, idx) {
    var name = "t" + Math.floor(id / idx.group) + "/" + Math.floor(id / idx.pack) + ".json.gz";
    return file(name, idx).then(function (pack) {
      var d = pack[id % idx.pack];
      return {url: d[0], title: d[1], blocks: d[2]};
    });
  }

  /* Every occurrence of the query in a text: [start, end) ranges of the text as written. */
  function occurrences(text, q, fold) {
    var map = [], norm = normalize(text, fold, map), out = [];
    var from = 0, at;
    while ((at = norm.indexOf(q, from)) >= 0) {
      var last = map[at + q.length - 1];
      var end = last + (text.codePointAt(last) > 0xffff ? 2 : 1);
      out.push([map[at], end]);
      from = at + q.length;
    }
    return out;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; });
  }

  function marked(text, ranges, from, to) {
    var out = "", at = from;
    ranges.forEach(function (r) {
      var s = Math.max(r[0], from), e = Math.min(r[1], to);
      if (e <= s || s < at) return;
      out += escapeHtml(text.slice(at, s)) + "<mark>" + escapeHtml(text.slice(s, e)) + "</mark>";
      at = e;
    });
    return out + escapeHtml(text.slice(at, to));
  }

  function wordChar(text, i) {
    var c = text.codePointAt(i);
    if (c === undefined) return false;
    var s = String.fromCodePoint(c);
    return IS_WORD.test(s) && !IS_HAN.test(s);
  }

  function lowSurrogate(text, i) { var c = text.charCodeAt(i); return c >= 0xdc00 && c <= 0xdfff; }

  /* A window of the block around its first occurrence, cut between words (never inside a word of a
     non-Han script, never inside a character), every occurrence in it marked. */
  function excerpt(text, ranges) {
    var before = chinese ? 30 : 80, length = chinese ? 110 : 240;
    var hit = ranges.length ? ranges[0] : [0, 0];
    var from = Math.max(0, hit[0] - before), to = Math.min(text.length, Math.max(hit[1], from + length));
    if (from > 0 && chinese) {  // start after a sentence or clause when one ends shortly before
      var cut = text.slice(from, hit[0]).search(/[。！？；，、：]/u);
      if (cut >= 0 && cut < before) from += cut + 1;
    }
    while (from > 0 && from < hit[0] && (lowSurrogate(text, from) || (wordChar(text, from - 1) && wordChar(text, from)))) from++;
    while (from < hit[0] && /\s/.test(text[from])) from++;
    while (to < text.length && to > hit[1] && (lowSurrogate(text, to) || (wordChar(text, to - 1) && wordChar(text, to)))) to--;
    ranges.forEach(function (r) { if (r[0] < to && to < r[1]) to = r[1]; });  // an occurrence is never cut
    return (from > 0 ? "…" : "") + marked(text, ranges, from, to).trim() + (to < text.length ? "…" : "");
  }

  /* A result: the headline with its occurrences marked, and an excerpt of the first paragraph that
     holds the query (the headline is never run into it). null when the document does not hold it. */
  function result(doc, q, fold) {
    var titleHits = occurrences(doc.title, q, fold);
    var block = -1, hits = [];
    for (var i = 0; i < doc.blocks.length && block < 0; i++) {
      hits = occurrences(doc.blocks[i], q, fold);
      if (hits.length) block = i;
    }
    if (block < 0 && !titleHits.length) return null;
    var text = block >= 0 ? doc.blocks[block] : doc.blocks[0] || "";
    return {url: new URL(doc.url, root).href, title: marked(doc.title, titleHits, 0, doc.title.length),
            excerpt: excerpt(text, block >= 0 ? hits : [])};
  }

  /* On the English site, Chinese runs (titles and text not yet translated) are marked lang="zh-Hans". */
  var HAN_RUN = new RegExp("[" + HAN + "\\u3000-\\u303f\\uff00-\\uffef]+", "gu");
  function tagChinese(element) {
    if (chinese) return;
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT), nodes = [];
    while (walker.nextNode()) if (HAS_HAN.test(walker.currentNode.data)) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.data, at = 0, parts = document.createDocumentFragment(), m;
      HAN_RUN.lastIndex = 0;
      while ((m = HAN_RUN.exec(text))) {
        if (m.index > at) parts.appendChild(document.createTextNode(text.slice(at, m.index)));
        var span = document.createElement("span");
        span.lang = "zh-Hans";
        span.textContent = m[0];
        parts.appendChild(span);
        at = m.index + m[0].length;
      }
      if (at < text.length) parts.appendChild(document.createTextNode(text.slice(at)));
      node.parentNode.replaceChild(parts, node);
    });
  }

  function item(r) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.innerHTML = "<a class=\"md-search-result__link\"><article class=\"md-search-result__article md-typeset\">" +
      "<div class=\"md-search-result__icon md-icon\"></div><h1></h1><p></p></article></a>";
    li.querySelector("a").href = r.url;
    li.querySelector("h1").innerHTML = r.title;
    li.querySelector("p").innerHTML = r.excerpt;
    tagChinese(li);
    return li;
  }

  function showMeta() {
    var n = state.verified;
    if (state.exact) n = state.total;
    if (state.exact || state.pending.length === 0) {
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

  /* Show `want` more results, in rank order, each as soon as its pack is in (packs asked for together). */
  function next(id, want) {
    var shown = 0;
    function step() {
      if (id !== current) return undefined;
      if (shown >= want || state.pending.length === 0) {
        if (state.pending.length > 0) list.appendChild(moreButton());
        showMeta();
        return undefined;
      }
      var batch = state.pending.splice(0, state.exact ? want - shown : Math.max(5, want - shown));
      var docs = batch.map(function (d) { return documentOf(d, state.idx); });
      var extra = [];  // checked beyond what was wanted: shown next time
      return docs.reduce(function (chain, doc, n) {
        return chain.then(function () {
          return doc.then(function (d) {
            if (id !== current) return;
            if (shown >= want) { extra.push(batch[n]); return; }
            var r = result(d, state.q, state.fold);
            if (!r) return;
            state.verified++;
            shown++;
            list.appendChild(item(r));
            if (!timing.shown) timing.shown = performance.now() - timing.typed;
          });
        });
      }, Promise.resolve()).then(function () {
        state.pending = extra.concat(state.pending);
        return step();
      });
    }
    return Promise.resolve(step());
  }

  function prepare(query) {
    return load().then(function (idx) {
      var needFold = HAS_HAN.test(query);
      return (needFold ? loadFolding(idx) : Promise.resolve({})).then(function (fold) {
        return {idx: idx, fold: fold, plan: plan(query, idx, fold)};
      });
    });
  }

  function search(query) {
    var id = ++current;
    query = query.trim();
    list.textContent = "";
    if (!query) { meta.textContent = strings.placeholder; return Promise.resolve(); }
    meta.textContent = strings.loading;
    timing.debounced = performance.now() - timing.typed;
    return prepare(query).then(function (s) {
      if (id !== current) return undefined;
      timing.loaded = performance.now() - timing.typed;
      if (!s.plan) { meta.textContent = strings.none; timing.searched = timing.loaded; return undefined; }
      return candidates(s.plan, s.idx).then(function (found) {
        if (id !== current) return undefined;
        timing.searched = performance.now() - timing.typed;
        state = {id: id, idx: s.idx, fold: s.fold, q: s.plan.q, exact: s.plan.exact, total: found.length,
                 verified: 0, pending: found};
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

  input.addEventListener("input", function (e) {
    timing = {typed: performance.now()};
    load().catch(function () {});  // the index is fetched on the first keystroke, not on focus
    if (!e.isComposing) schedule();
  });
  input.addEventListener("compositionend", schedule);
  input.addEventListener("focus", open);
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
    normalize: function (text) {
      return load().then(loadFolding).then(function (fold) { return normalize(text, fold); });
    },
    /* every matching page (URL path), checking every candidate */
    all: function (query) {
      return prepare(query.trim()).then(function (s) {
        if (!s.plan) return [];
        return candidates(s.plan, s.idx).then(function (found) {
          return Promise.all(found.map(function (d) { return documentOf(d, s.idx); }));
        }).then(function (docs) {
          return docs.filter(function (d) { return result(d, s.plan.q, s.fold); })
            .map(function (d) { return new URL(d.url, root).pathname; });
        });
      });
    },
    /* the results as shown: [{url, title (HTML), excerpt (HTML)}] of the first `n` */
    results: function (query, n) {
      return prepare(query.trim()).then(function (s) {
        if (!s.plan) return [];
        return candidates(s.plan, s.idx).then(function (found) {
          return Promise.all(found.slice(0, n || PAGE).map(function (d) { return documentOf(d, s.idx); }));
        }).then(function (docs) {
          return docs.map(function (d) { return result(d, s.plan.q, s.fold); }).filter(Boolean);
        });
      });
    }
  };
})();
