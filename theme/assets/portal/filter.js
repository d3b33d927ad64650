/* Filter consultations in place on the "Find a consultation" page.
 *
 * Without JavaScript the page links to one static page per status, topic and area. With it,
 * the form above the list shows, and choosing in it hides the cards that do not match, says
 * how many are shown (in a status region, so screen readers hear it), and keeps the choice
 * in the address (?topic=transport) so it can be shared or bookmarked.
 */
(function () {
  "use strict";

  // The words this script writes, in English. The page gives them in its own language in
  // data-portal-words on the filter (theme/portal/discovery/browse.html), read by words.js.
  var ENGLISH = {
    showing: { one: "Showing {n} of {total} consultation: {chosen}.",
               other: "Showing {n} of {total} consultations: {chosen}." },
    showing_listed: { one: "Showing {n} of the {total} consultations listed here: {chosen}.",
                      other: "Showing {n} of the {total} consultations listed here: {chosen}." }
  };

  function start(root) {
    var say = window.portalWords(root, ENGLISH);
    var form = root.querySelector(".portal-filter__form");
    var result = root.querySelector("[data-portal-filter-result]");
    var empty = root.querySelector("[data-portal-filter-empty]");
    if (!form || !result) return;
    var cards = Array.prototype.slice.call(root.querySelectorAll("li[data-status]"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

    function matches(card, select) {
      if (!select.value) return true;
      var values = (card.getAttribute("data-" + select.name) || "").split(" ");
      return values.indexOf(select.value) !== -1;
    }

    // A long history lists only current and recent consultations here (the server says
    // which, and how many there are in all); older ones are on the paginated filter pages.
    var partial = result.hasAttribute("data-portal-filter-partial");
    var unfiltered = result.textContent;

    function describe(shown) {
      var chosen = selects.filter(function (s) { return s.value; }).map(function (s) {
        return s.options[s.selectedIndex].text.replace(/\s*\(\d+\)$/, "");
      });
      if (!chosen.length) return unfiltered;
      return say(partial ? "showing_listed" : "showing",
                 { n: shown, total: cards.length, chosen: chosen.join(", ") });
    }

    function apply() {
      var shown = 0;
      cards.forEach(function (card) {
        var visible = selects.every(function (s) { return matches(card, s); });
        card.hidden = !visible;
        if (visible) shown += 1;
      });
      result.textContent = describe(shown);
      if (empty) empty.hidden = shown !== 0;
      var params = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") +
        location.hash);
    }

    var initial = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var wanted = initial.get(s.name);
      if (wanted && s.querySelector("option[value='" + CSS.escape(wanted) + "']")) {
        s.value = wanted;
      }
    });
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    // "reset" fires before the fields change back; filter once they have.
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-portal-filter]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
