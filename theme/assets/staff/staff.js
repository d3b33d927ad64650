/* The staff area: say when new responses have come in while a page is open.
   Every [data-watch] region polls its JSON count (staff_only, same origin) every 10 seconds
   and, once the count has grown, says so in its aria-live region with a reload link. Only
   an enhancement: without JavaScript, reloading the page shows the same counts. */
(function () {
  "use strict";
  var EVERY = 10000;

  function say(region, fresh) {
    var link = document.createElement("a");
    link.href = window.location.href.split("#")[0];
    link.textContent = "reload to see them";
    var words = fresh === 1 ? "1 new response: " : fresh + " new responses: ";
    region.textContent = "";
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(words));
    p.appendChild(link);
    region.appendChild(p);
  }

  function watch(region) {
    var url = region.getAttribute("data-watch");
    var seen = Number(region.getAttribute("data-total"));
    var told = 0;
    function check() {
      window.fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
        redirect: "error"
      }).then(function (reply) {
        return reply.ok ? reply.json() : null;
      }).then(function (data) {
        if (!data || typeof data.total !== "number") return;
        var fresh = data.total - seen;
        // Speak only when the figure changes, not at every poll.
        if (fresh > 0 && fresh !== told) {
          told = fresh;
          say(region, fresh);
        }
      }).catch(function () {
        /* signed out or offline: the page still works; reloading shows where things are */
      });
    }
    window.setInterval(check, EVERY);
  }

  if (!window.fetch) return;
  Array.prototype.forEach.call(document.querySelectorAll("[data-watch]"), watch);
})();
