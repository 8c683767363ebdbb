/* noticepub: the Chinese–English view of an article, built in the page from the article and its
   counterpart (English, or Simplified Chinese on an English page). The article page carries a toggle
   (a.np-bilingual-toggle, only where the article has English: scripts/noticepub/render/pages.py) whose
   href is the counterpart page; each block of the article (lead, paragraphs, sub-headings, source line)
   has a data-np-p key that the counterpart's blocks share. Opening the view fetches the counterpart once
   and sets each block beside its counterpart (.np-row > .np-cell x 2, side by side on a wide screen,
   stacked on a phone); closing puts the page back as it was. "#bilingual" in the address opens it
   (the old bilingual pages redirect there). Without JavaScript the toggle leads to the counterpart. */
(function () {
  "use strict";
  var toggle = document.querySelector("a.np-bilingual-toggle");
  if (!toggle || !window.fetch || !window.DOMParser) return;
  var content = toggle.closest("article") || document.body;
  var mine = document.documentElement.getAttribute("lang") || "";
  var theirs = toggle.getAttribute("hreflang") || "";
  var label = toggle.textContent;
  var partner = null;   // key -> the counterpart's block (imported into this document), once fetched
  var partnerTitle = null;
  var loading = null;
  var open = false;
  var gapNote = toggle.getAttribute("data-np-gap") || "";
  var swapped = [];  // [note, sentence]: untranslated sentences of this page's own English, while open

  // The English column never repeats the Chinese beside it (nor shows Simplified Chinese on a zh-Hant
  // page): each untranslated sentence (.np-pending, the Chinese source) becomes a short note in the
  // reader's language. ``own``: blocks of this page, put back as they were when the view closes.
  function gapped(node, own) {
    var pending = node.querySelectorAll(".np-pending");
    for (var i = 0; i < pending.length; i++) {
      var note = document.createElement("span");
      note.className = "np-gap";
      note.setAttribute("lang", mine);
      note.textContent = gapNote;
      pending[i].parentNode.replaceChild(note, pending[i]);
      if (own) swapped.push([note, pending[i]]);
    }
    return node;
  }

  function stripIds(node) {  // the counterpart's anchors would duplicate ids of this page
    node.removeAttribute("id");
    var inner = node.querySelectorAll("[id]");
    for (var i = 0; i < inner.length; i++) inner[i].removeAttribute("id");
    return node;
  }

  // Sentences the English has not got yet: the English page shows the Chinese there (marked); beside the
  // Chinese column that would be the Chinese twice (and Simplified beside Traditional), so the English
  // column says only that the translation is pending.
  function load() {
    if (partner) return Promise.resolve();
    if (loading) return loading;
    loading = fetch(toggle.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var root = doc.querySelector("article") || doc.body;
      var blocks = root.querySelectorAll("[data-np-p]");
      partner = {};
      for (var i = 0; i < blocks.length; i++) {
        var block = stripIds(document.importNode(blocks[i], true));
        partner[blocks[i].getAttribute("data-np-p")] = theirs === "en" ? gapped(block, false) : block;
      }
      var h1 = root.querySelector("h1");
      if (h1 && !h1.querySelector(".np-pending")) {  // an untranslated headline is not repeated
        partnerTitle = document.createElement("p");
        partnerTitle.className = "np-subtitle np-bilingual-title";
        partnerTitle.setAttribute("lang", theirs);
        partnerTitle.textContent = h1.textContent;
      }
    }).catch(function (error) {
      loading = null;
      throw error;
    });
    return loading;
  }

  function cell(lang, node) {
    var div = document.createElement("div");
    div.className = "np-cell";
    div.setAttribute("lang", lang);
    if (node) div.appendChild(node);
    return div;
  }

  function show() {
    var blocks = content.querySelectorAll("[data-np-p]");
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      var key = block.getAttribute("data-np-p");
      var row = document.createElement("div");
      row.className = "np-row" + (key === "lead" ? " np-lead-row" : key === "attr" ? " np-attr-row"
        : /^H[1-6]$/.test(block.tagName) ? " np-heading-row" : "");
      block.parentNode.insertBefore(row, block);
      row.appendChild(cell(mine, mine === "en" ? gapped(block, true) : block));
      row.appendChild(cell(theirs, partner[key] || null));
    }
    var h1 = content.querySelector("h1");
    if (h1 && partnerTitle) h1.parentNode.insertBefore(partnerTitle, h1.nextSibling);
    document.body.classList.add("np-bilingual-on");
    toggle.textContent = toggle.getAttribute("data-np-close") || label;
    toggle.setAttribute("aria-pressed", "true");
    open = true;
  }

  function hide() {
    var rows = content.querySelectorAll(".np-row");
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var own = row.firstChild.firstChild;
      row.parentNode.insertBefore(own, row);
      row.parentNode.removeChild(row);
    }
    for (var j = 0; j < swapped.length; j++) swapped[j][0].parentNode.replaceChild(swapped[j][1], swapped[j][0]);
    swapped = [];
    if (partnerTitle && partnerTitle.parentNode) partnerTitle.parentNode.removeChild(partnerTitle);
    document.body.classList.remove("np-bilingual-on");
    toggle.textContent = label;
    toggle.setAttribute("aria-pressed", "false");
    open = false;
  }

  function problem(failed) {
    var note = content.querySelector(".np-bilingual-error");
    if (!failed) {
      if (note) note.parentNode.removeChild(note);
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "np-bilingual-error";
      note.setAttribute("role", "status");
      toggle.parentNode.parentNode.insertBefore(note, toggle.parentNode.nextSibling);
    }
    note.textContent = toggle.getAttribute("data-np-error") || "";
  }

  function address(hash) {
    if (window.history && history.replaceState) {
      history.replaceState(history.state, "", location.pathname + location.search + hash);
    }
  }

  function setOpen(wanted) {
    if (wanted === open) return Promise.resolve();
    if (!wanted) {
      hide();
      address("");
      return Promise.resolve();
    }
    toggle.setAttribute("aria-busy", "true");
    return load().then(function () {
      problem(false);
      if (!open) show();
      address("#bilingual");
    }, function () {
      problem(true);
    }).then(function () {
      toggle.removeAttribute("aria-busy");
    });
  }

  function openAtTop() {  // the view starts where the article does: the top of the page, with the breadcrumb,
    // kicker and headline in sight (scrolling the headline itself to the top put it under the sticky header)
    return setOpen(true).then(function () {
      if (open) window.scrollTo(0, 0);
    });
  }

  toggle.addEventListener("click", function (event) {
    if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;  // new tab
    event.preventDefault();
    if (open) setOpen(false);
    else openAtTop();
  });
  toggle.addEventListener("keydown", function (event) {  // role="button": Space activates it too
    if (event.key === " ") {
      event.preventDefault();
      setOpen(!open);
    }
  });
  // "#bilingual" (the toggle's paragraph, where the browser scrolls): the view, open at the headline
  window.addEventListener("hashchange", function () {
    if (location.hash === "#bilingual") openAtTop();
  });
  if (location.hash === "#bilingual") openAtTop();
})();
