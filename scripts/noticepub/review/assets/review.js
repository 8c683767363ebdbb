// noticepub review screen: select raw lines (click, Shift+click, arrows, Shift+arrows), correct them from the
// menu or by its keys; hovering or selecting one side highlights the other. The server writes notice.yml
// and sends back the new panes, which replace the old ones (selection kept).
(function () {
  "use strict";
  var notice = document.body.dataset.notice;
  if (!notice) { return; }  // the list page needs no script
  var token = document.querySelector('meta[name="noticepub-token"]').content;
  var etag = document.body.dataset.etag;
  var anchor = null, focus = null, busy = false;
  var pending = null;  // "Headline of…"/"Lead of…": {action, first, last} until the article's body line is picked
  var statusEl = document.getElementById("status");

  function $(sel) { return document.querySelector(sel); }
  function all(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }
  function line(no) { return document.getElementById("L" + no); }
  function say(text, error) { statusEl.textContent = text; statusEl.className = error ? "error" : ""; }

  // ---- selection
  function range() {
    if (anchor === null) { return null; }
    return [Math.min(anchor, focus), Math.max(anchor, focus)];
  }
  function paint() {
    var r = range();
    all(".ln").forEach(function (el) {
      var no = Number(el.dataset.line);
      var on = r !== null && no >= r[0] && no <= r[1];
      el.setAttribute("aria-selected", on ? "true" : "false");
      el.classList.toggle("active", no === focus);
    });
    all(".blk.hl").forEach(function (el) { el.classList.remove("hl"); });
    var raw = $("#raw");
    var menu = all("#menu button");
    if (r === null) {
      $("#sel").textContent = "No line selected: click a line (drag or Shift+click for a range).";
      menu.forEach(function (b) { b.disabled = true; });
      $("#menu").classList.remove("on");
      if (raw) { raw.removeAttribute("aria-activedescendant"); }
      return;
    }
    $("#sel").textContent = (r[0] === r[1] ? "Line " + r[0] : "Lines " + r[0] + "–" + r[1]) +
      " selected: choose what " + (r[0] === r[1] ? "it is" : "they are") + ".";
    menu.forEach(function (b) { b.disabled = false; });
    $("#menu").classList.add("on");
    raw.setAttribute("aria-activedescendant", "L" + focus);
    var blocks = {};
    for (var no = r[0]; no <= r[1]; no++) {
      var el = line(no);
      if (el && el.dataset.block) { blocks[el.dataset.block] = true; }
    }
    Object.keys(blocks).forEach(function (b) {
      var el = document.getElementById("b-" + b);
      if (el) { el.classList.add("hl"); }
    });
  }
  function select(from, to, scroll) {
    anchor = from; focus = to;
    paint();
    var el = line(focus);
    if (el && scroll) { el.scrollIntoView({ block: "nearest" }); }
  }

  // ---- hover: one side highlights the other
  function highlight(block, on) {
    if (!block) { return; }
    all('[data-block="' + block + '"]').forEach(function (el) { el.classList.toggle("hl", on); });
  }
  document.addEventListener("mouseover", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-block]");
    if (el) { highlight(el.dataset.block, true); }
  });
  document.addEventListener("mouseout", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-block]");
    if (el) { highlight(el.dataset.block, false); }
  });

  // dragging over lines selects them (a click on one line, or Shift+click, is handled on click)
  var dragging = false;
  document.addEventListener("mousedown", function (ev) {
    var ln = ev.button === 0 && !ev.shiftKey && pending === null && ev.target.closest(".ln");
    if (!ln) { return; }
    dragging = true;
    var no = Number(ln.dataset.line);
    select(no, no, false);
    ev.preventDefault();  // no text selection while dragging
    $("#raw").focus({ preventScroll: true });
  });
  document.addEventListener("mouseover", function (ev) {
    var ln = dragging && ev.target.closest(".ln");
    if (ln) { select(anchor, Number(ln.dataset.line), false); }
  });
  document.addEventListener("mouseup", function () { dragging = false; });

  document.addEventListener("click", function (ev) {
    var ln = ev.target.closest(".ln");
    if (ln && pending !== null) { pick(Number(ln.dataset.line)); return; }
    if (ln) {
      var no = Number(ln.dataset.line);
      if (ev.shiftKey && anchor !== null) { select(anchor, no, false); } else { select(no, no, false); }
      $("#raw").focus({ preventScroll: true });
      return;
    }
    var blk = ev.target.closest(".blk");
    if (blk && blk.dataset.lines) {
      var nos = blk.dataset.lines.split(" ").map(Number);
      if (pending !== null) { pick(nos[0]); return; }  // an article's paragraph: its first line
      select(nos[0], nos[nos.length - 1], true);
      return;
    }
    var button = ev.target.closest("#menu button");
    if (button && !button.disabled) { correct(button.dataset.action); }
  });

  var keys = {};
  all("#menu button").forEach(function (b) { keys[b.getAttribute("aria-keyshortcuts")] = b.dataset.action; });

  document.addEventListener("keydown", function (ev) {
    if (pending !== null && ev.key === "Escape") {  // wherever the focus is
      ev.preventDefault();
      select(pending.first, pending.last, true);
      cancelPick("cancelled");
      return;
    }
    if (ev.target.closest && ev.target.closest("#raw") === null) {
      if (ev.key === "u" && !ev.ctrlKey && !ev.metaKey && ev.target.tagName !== "INPUT") { undo(); }
      return;
    }
    var count = all(".ln").length;
    var here = focus === null ? 0 : focus;
    var next = null;
    if (ev.key === "ArrowDown") { next = Math.min(count, here + 1); }
    else if (ev.key === "ArrowUp") { next = Math.max(1, here - 1); }
    else if (ev.key === "Home") { next = 1; }
    else if (ev.key === "End") { next = count; }
    else if (ev.key === "PageDown") { next = Math.min(count, here + 20); }
    else if (ev.key === "PageUp") { next = Math.max(1, here - 20); }
    if (next !== null) {
      ev.preventDefault();
      if (ev.shiftKey && anchor !== null && pending === null) { select(anchor, next, true); } else { select(next, next, true); }
      return;
    }
    if (pending !== null && ev.key === "Enter" && focus !== null) { ev.preventDefault(); pick(focus); return; }
    if (ev.key === "Escape") { anchor = focus = null; paint(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || pending !== null) { return; }
    if (ev.key === "u") { ev.preventDefault(); undo(); return; }
    var name = ev.shiftKey && /^[a-z]$/i.test(ev.key) ? "Shift+" + ev.key.toUpperCase() : ev.key.toLowerCase();
    var action = keys[name];
    if (action && range() !== null) { ev.preventDefault(); correct(action); }
  });

  // ---- talking to the server
  function update(data) {
    etag = data.etag;
    $("#summary").innerHTML = data.summary;
    var keep = range(), f = focus, a = anchor, hadFocus = document.activeElement && document.activeElement.id === "raw";
    $("#panes").innerHTML = data.panes;
    all("#menu button").forEach(function (b) { keys[b.getAttribute("aria-keyshortcuts")] = b.dataset.action; });
    if (keep !== null && line(keep[1])) { anchor = a; focus = f; } else { anchor = focus = null; }
    paint();
    if (hadFocus) { $("#raw").focus({ preventScroll: true }); }
  }
  function post(what, body) {
    if (busy) { return Promise.resolve(); }
    busy = true;
    body.etag = etag;
    var t0 = performance.now();
    return fetch("/review/" + notice + "/" + what, {
      method: "POST", headers: { "Content-Type": "application/json", "X-Noticepub-Token": token },
      body: JSON.stringify(body), cache: "no-store"
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (!data.ok) { say(data.error, true); return; }
      update(data);
      document.body.dataset.updatedMs = String(Math.round(performance.now() - t0));
      say(data.message + " — notice.yml saved", false);
    }).catch(function (e) { say("the preview did not answer: " + e, true); })
      .then(function () { busy = false; });
  }
  function correct(action) {
    var r = range();
    if (r === null) { return; }
    if (/-of$/.test(action)) {  // the article is picked next: a headline or lead printed away from its text
      pending = { action: action.replace(/-of$/, ""), first: r[0], last: r[1] };
      document.body.classList.add("picking");
      say("Now click (or move to and press Enter on) the first body line of the article this " +
          pending.action + " belongs to; Esc cancels.", false);
      $("#raw").focus({ preventScroll: true });
      return;
    }
    post("correct", { action: action, first: r[0], last: r[1] });
  }
  function cancelPick(why) {
    pending = null;
    document.body.classList.remove("picking");
    if (why) { say(why, false); }
  }
  function pick(no) {
    var p = pending;
    cancelPick("");
    select(p.first, p.last, false);
    post("correct", { action: p.action, first: p.first, last: p.last, body: no });
  }
  function undo() { post("undo", {}); }
  $("#undo").addEventListener("click", undo);
  $("#mark").addEventListener("click", function () { post("reviewed", {}); });

  // ---- edits made elsewhere (an editor, another tab): the server answers once raw.txt or notice.yml changed
  function watch() {
    fetch("/review/" + notice + "/panes.json?wait=" + encodeURIComponent(etag), { cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        if (data.etag !== etag && !busy) { update(data); say("raw.txt or notice.yml changed on disk: updated", false); }
        watch();
      })
      .catch(function () { setTimeout(watch, 1000); });
  }
  watch();
  paint();
})();
