/* Find rows of a large resource by the start of their key, fetching only what the query needs.
 *
 * Without JavaScript a resource's rows are static pages sorted by one field, listed by an
 * alphabetical index ("Aberdeen to Alnwick"). This script reads the same index: each entry
 * carries the sort keys of its first and last row (data-first, data-last), so a query walks
 * down one index page per level and fetches only the one or two pages of rows that can hold
 * it, whatever the size of the resource. Keys are compared as the build sorted them: lower
 * case, accents removed (portal.datasets.browse.sort_key).
 *
 * A small resource (at most WHOLE pages of rows, a few hundred KB) is searched whole
 * instead: any part of any value, in any column, since fetching all of it costs little.
 */
(function () {
  "use strict";

  var LIMIT = 100;      // rows shown for one query; more means "type more letters"
  var MAX_FETCHES = 12; // pages fetched for one query, so a one-letter query stays small
  var WHOLE = 8;        // up to this many pages of rows, search every column of every row

  // The words this script writes, in English. The page gives them in its own language in
  // the form's data-portal-words (theme/portal/datasets/_rowfind.html), read by words.js.
  var ENGLISH = {
    find_rows: "Find rows",
    hint_whole: "Type any part of a value in any column. Capitals and accents are ignored.",
    searching: "Searching…",
    none_containing: "No rows contain “{query}”.",
    none_starting: "No rows start with “{query}”.",
    first_containing: { one: "Showing the first {n} row containing “{query}”.",
                        other: "Showing the first {n} rows containing “{query}”." },
    first_starting: { one: "Showing the first {n} row starting with “{query}”.",
                      other: "Showing the first {n} rows starting with “{query}”." },
    found_containing: { one: "{n} row containing “{query}”.", other: "{n} rows containing “{query}”." },
    found_starting: { one: "{n} row starting with “{query}”.", other: "{n} rows starting with “{query}”." },
    more: "Type more letters to narrow the search.",
    failed: "The search could not load the rows ({error}). Use the index below instead."
  };

  function norm(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").trim();
  }

  var pages = {};
  function load(url) {
    if (!pages[url]) {
      pages[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      }).then(function (text) {
        return new DOMParser().parseFromString(text, "text/html");
      });
    }
    return pages[url];
  }

  async function search(indexUrl, query) {
    var found = [];
    var fetches = 0;
    var stopped = false;

    async function visit(url) {
      var doc = await load(url);
      fetches += 1;
      var links = doc.querySelectorAll("a[data-first]");
      for (var i = 0; i < links.length; i += 1) {
        var link = links[i];
        if (link.dataset.last < query) continue; // every key here sorts before the query
        var first = link.dataset.first;
        if (first > query && first.indexOf(query) !== 0) return; // and from here, after it
        if (fetches >= MAX_FETCHES || found.length >= LIMIT) { stopped = true; return; }
        var href = new URL(link.getAttribute("href"), url).href;
        if (link.dataset.kind === "index") {
          await visit(href);
          if (stopped) return;
          continue;
        }
        var rows = (await load(href)).querySelectorAll("tbody tr[data-key]");
        fetches += 1;
        for (var j = 0; j < rows.length; j += 1) {
          if (rows[j].dataset.key.indexOf(query) === 0) {
            found.push(rows[j]);
            if (found.length >= LIMIT) { stopped = true; return; }
          }
        }
      }
    }

    await visit(indexUrl);
    return { rows: found, more: stopped };
  }

  // The row pages of a small resource, or null when it is too large to fetch whole.
  // Only the index is fetched to decide; the rows wait for the first query.
  async function smallResource(indexUrl) {
    var links = (await load(indexUrl)).querySelectorAll("a[data-first]");
    if (links.length > WHOLE) return null;
    var hrefs = [];
    for (var i = 0; i < links.length; i += 1) {
      if (links[i].dataset.kind !== "rows") return null;
      hrefs.push(new URL(links[i].getAttribute("href"), indexUrl).href);
    }
    return hrefs;
  }

  async function allRows(hrefs) {
    var rows = [];
    (await Promise.all(hrefs.map(load))).forEach(function (doc) {
      Array.prototype.forEach.call(doc.querySelectorAll("tbody tr[data-key]"), function (row) {
        rows.push({ row: row, text: norm(row.textContent) });
      });
    });
    return rows;
  }

  function searchWhole(rows, query) {
    var found = [];
    for (var i = 0; i < rows.length && found.length < LIMIT; i += 1) {
      if (rows[i].text.indexOf(query) !== -1) found.push(rows[i].row);
    }
    return { rows: found, more: found.length >= LIMIT };
  }

  function start(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector(".portal-rowfind__status");
    var results = form.querySelector(".portal-rowfind__results");
    var body = results.querySelector("tbody");
    var indexUrl = new URL(form.getAttribute("data-portal-rowfind"), location.href).href;
    var say = window.portalWords(form, ENGLISH);
    var latest = 0;
    var timer = null;
    var small = null; // the row pages of a small resource, searched whole
    var rows = null;  // their rows, once a query needs them
    var ready = smallResource(indexUrl).then(function (hrefs) {
      small = hrefs;
      if (small) {
        form.querySelector("label").textContent = say("find_rows");
        form.querySelector(".portal-rowfind__hint").textContent = say("hint_whole");
      }
    }).catch(function () { small = null; });

    async function run() {
      var query = norm(input.value);
      var ticket = ++latest;
      if (!query) {
        body.textContent = "";
        results.hidden = true;
        status.textContent = "";
        return;
      }
      status.textContent = say("searching");
      try {
        await ready;
        if (small && !rows) rows = await allRows(small);
        var whole = Boolean(small);
        var answer = whole ? searchWhole(rows, query) : await search(indexUrl, query);
        if (ticket !== latest) return; // a newer query has started
        body.textContent = "";
        answer.rows.forEach(function (row) { body.appendChild(document.importNode(row, true)); });
        results.hidden = answer.rows.length === 0;
        var count = answer.rows.length;
        var how = whole ? "_containing" : "_starting";
        var typed = { n: count, query: input.value.trim() };
        var text = say((count === 0 ? "none" : answer.more ? "first" : "found") + how, typed);
        if (answer.more) text += " " + say("more");
        status.textContent = text;
      } catch (error) {
        if (ticket !== latest) return;
        status.textContent = say("failed", { error: error.message });
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      run();
    });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 250);
    });
    form.hidden = false;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-portal-rowfind]"), start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
