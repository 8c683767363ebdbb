// noticepub serve: live reload. Added to every HTML response by the preview server (never written to site/).
// Waits on /_preview/wait until the site's version differs from the one this page was served at, then reloads.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(new URL(me.src).searchParams.get("v"));
  function wait() {
    fetch("/_preview/wait?since=" + version, { cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (d) {
        if (d.version !== version) { window.location.reload(); return; }
        wait();
      })
      .catch(function () { setTimeout(wait, 1000); });  // the preview restarting: ask again shortly
  }
  wait();
})();
