/* Reading progress, kept only in this browser (localStorage), never sent anywhere.
 *
 * - Checklists (<div class="hb-checklist">): each task names its key in data-hb-task (the task's
 *   own text, so a reworded task starts unticked); ticks are kept per site, the progress element
 *   (.hb-checklist__progress, data-hb-done: the word after "3 von 7") shows how many are done.
 * - Changed pages: assets/changes.js (window.handbookChanges.pages: page address -> Unix time of
 *   its data's last change). Links to pages changed since the previous visit get a badge, the page
 *   itself a note. The first visit marks nothing. A visit is a browser session: the time compared
 *   with stays the same while the reader moves between pages.
 *
 * Keys start with the site's base path (Material's __md_scope), so two handbooks on one host do not
 * share them. Works with Material's instant navigation (document$) and without it.
 */
(function () {
  "use strict";

  function scope() {
    if (window.__md_scope) return window.__md_scope;
    var base = ".";
    var config = document.getElementById("__config");
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* no Material config */ }
    return new URL(base, location.href);
  }

  function storageKey(name) { return scope().pathname + ".handbook." + name; }

  function read(store, name) {
    try { return JSON.parse(store.getItem(storageKey(name))); } catch (e) { return null; }
  }

  function write(store, name, value) {
    try { store.setItem(storageKey(name), JSON.stringify(value)); } catch (e) { /* storage off */ }
  }

  /* --- checklists ------------------------------------------------------------------------- */

  function checklist(list) {
    var boxes = [];
    list.querySelectorAll("li").forEach(function (item) {
      var marker = item.querySelector("[data-hb-task]");
      var box = item.querySelector("label.task-list-control > input[type=checkbox]");
      if (marker && box) boxes.push({ key: marker.getAttribute("data-hb-task"), box: box });
    });
    var output = list.querySelector(".hb-checklist__progress");

    function update() {
      if (!output) return;
      var done = boxes.filter(function (b) { return b.box.checked; }).length;
      output.textContent = done + " von " + boxes.length + " " + output.getAttribute("data-hb-done");
      output.hidden = false;
    }

    boxes.forEach(function (b) {
      var ticks = read(localStorage, "ticks") || {};
      b.box.disabled = false;
      b.box.checked = ticks[b.key] === true;
      b.box.addEventListener("change", function () {
        var now = read(localStorage, "ticks") || {};
        if (b.box.checked) now[b.key] = true; else delete now[b.key];
        write(localStorage, "ticks", now);
        update();
      });
    });
    list.querySelectorAll(".hb-js-only").forEach(function (el) { el.hidden = false; });
    update();
  }

  /* --- changed since the last visit ------------------------------------------------------- */

  var now = Math.floor(Date.now() / 1000);

  function since() {
    var session = read(sessionStorage, "since");
    if (session === null) {
      var last = read(localStorage, "lastVisit");
      session = { since: typeof last === "number" ? last : -1 };
      write(sessionStorage, "since", session);
    }
    write(localStorage, "lastVisit", now);
    return session.since;
  }

  var compared = since();

  function pathOf(url) {
    var base = scope().pathname;
    var path = url.pathname;
    if (path.indexOf(base) !== 0) return null;
    return path.slice(base.length).replace(/(^|\/)index\.html$/, "$1");
  }

  function changedAt(url) {
    var pages = (window.handbookChanges || {}).pages || {};
    var path = pathOf(url);
    var when = path === null ? undefined : pages[path];
    return compared >= 0 && typeof when === "number" && when > compared ? when : null;
  }

  function dateDe(seconds) {
    var d = new Date(seconds * 1000);
    return ("0" + d.getDate()).slice(-2) + "." + ("0" + (d.getMonth() + 1)).slice(-2) + "." + d.getFullYear();
  }

  function markChanged() {
    document.querySelectorAll(".md-nav__link[href], .md-tabs__link[href]").forEach(function (link) {
      if (link.querySelector(".hb-changed-badge")) return;
      var target;
      try { target = new URL(link.getAttribute("href"), location.href); } catch (e) { return; }
      if (target.hash || changedAt(target) === null) return;
      var badge = document.createElement("span");
      badge.className = "hb-changed-badge";
      badge.textContent = "geändert";
      (link.querySelector(".md-ellipsis") || link).appendChild(badge);
    });
    var when = changedAt(new URL(location.href));
    var article = document.querySelector("article.md-content__inner");
    if (when !== null && article && !article.querySelector(".hb-changed-note")) {
      var note = document.createElement("p");
      note.className = "hb-changed-note";
      note.setAttribute("role", "note");
      note.textContent = "Seit dem letzten Besuch geändert (am " + dateDe(when) + ").";
      var heading = article.querySelector("h1");
      if (heading) heading.after(note); else article.prepend(note);
    }
  }

  function run() {
    document.querySelectorAll(".hb-checklist").forEach(checklist);
    markChanged();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
