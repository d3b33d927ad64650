/* Progressive enhancement for portal forms; every form works without this file.
 *
 * Rules and messages come from the page (data-rules, data-messages, written from the form
 * manifest by the same code the server validates with), so nothing is restated here but the
 * checks themselves. The server stays the authority: a post it refuses is shown the same way.
 */
(function () {
  "use strict";

  // White space as the server sees it (Python's str.strip() and \s), not JavaScript's trim()
  // and \s, which differ: so a text's length, and an email address, are judged alike.
  var SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680" +
    "\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var EDGES = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
  // Only the loose part of the server's email rule (portal/forms/validate.py, EMAIL). The
  // server also requires what the export checks (validators.email); the browser does not
  // repeat that, so it is never stricter than the server: an address it lets through may
  // still be refused, with the server's message.
  var EMAIL = new RegExp("^[^" + SPACE + "@]+@[^" + SPACE + "@.]+(\\.[^" + SPACE + "@.]+)+$");
  var NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  var UK_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
  var ISO_DATE = /^(\d{4})-(\d\d)-(\d\d)$/;
  // A form's questions, and fields that are not answers (the "email me a copy" field of
  // portal.mail, data-portal-extra): checked and shown alike.
  var FIELDS = "[data-portal-question], [data-portal-extra]";

  // The words this script writes itself. The page gives them in its own language, as JSON
  // in data-portal-words on the form's wrapper (theme/portal/forms.html); a plural one is an
  // object of forms by CLDR category ("one", "few", "other"...) for Intl.PluralRules. A page
  // built before the portal was translated has none: these English ones are used.
  var ENGLISH = {
    error: "Error:",
    error_title: "Error: {title}",
    not_sent: "Your response could not be sent. Try again.",
    characters_left: { one: "You have {n} character remaining",
                       other: "You have {n} characters remaining" },
    characters_over: { one: "You have {n} character too many",
                       other: "You have {n} characters too many" }
  };
  var given = typeof WeakMap === "function" ? new WeakMap() : null;

  function say(element, key, values) {
    var holder = element.closest("[data-portal-words]");
    var words = holder && given ? given.get(holder) : null;
    if (holder && !words) {
      try { words = JSON.parse(holder.getAttribute("data-portal-words")) || {}; }
      catch (error) { words = {}; }
      if (given) given.set(holder, words);
    }
    var text = (words && words[key]) || ENGLISH[key];
    values = values || {};
    if (typeof text === "object") {
      var rules = window.Intl && Intl.PluralRules ?
        new Intl.PluralRules(document.documentElement.lang || "en") : null;
      text = text[rules ? rules.select(values.n) : (values.n === 1 ? "one" : "other")] ||
        text.other;
    }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function fieldId(group) {
    return group.getAttribute("data-portal-question") || group.getAttribute("data-portal-extra");
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function newSubmissionId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function clean(text) {
    return text.replace(/\r\n?/g, "\n").replace(EDGES, "");
  }

  // Characters as the server counts them (code points), not UTF-16 units: an emoji is one.
  function count(text) {
    return Array.from(text).length;
  }

  function realDate(y, m, d) {
    var date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
      return null;
    }
    return date.toISOString().slice(0, 10);
  }

  function parseDate(text) {
    var m = ISO_DATE.exec(text);
    if (m) return realDate(+m[1], +m[2], +m[3]);
    m = UK_DATE.exec(text);
    return m ? realDate(+m[3], +m[2], +m[1]) : null;
  }

  function values(group, name) {
    var out = [];
    group.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      out.push(el.value);
    });
    return out;
  }

  /* One question's error message, or null: the same checks as portal/forms/validate.py. */
  function check(group) {
    var id = fieldId(group);
    var rules = JSON.parse(group.getAttribute("data-rules"));
    var msg = JSON.parse(group.getAttribute("data-messages"));
    var given = values(group, id);
    var type = rules.type;
    if (type === "checkboxes") {
      var bad = given.some(function (v) { return rules.options.indexOf(v) < 0; });
      if (bad) return msg.option;
      if (!given.length) return rules.required ? msg.required : null;
      if (rules.min_selected && given.length < rules.min_selected) return msg.min_selected;
      if (rules.max_selected && given.length > rules.max_selected) return msg.max_selected;
      return null;
    }
    var text = clean(given[0] || "");
    if (!text) return rules.required ? msg.required : null;
    switch (type) {
      case "text":
      case "textarea":
        if (count(text) > rules.max_length) return msg.max_length;
        if (rules.min_length && count(text) < rules.min_length) return msg.min_length;
        return null;
      case "email":
        if (count(text) > 254) return msg.max_length;
        return EMAIL.test(text) ? null : msg.format;
      case "number":
        var compact = text.replace(/[, ]/g, "");
        if (compact.length > 40 || !NUMBER.test(compact)) return msg.format;
        var value = parseFloat(compact);
        if (rules.integer && Math.floor(value) !== value) return msg.integer;
        if (rules.min !== undefined && value < rules.min) return msg.min;
        if (rules.max !== undefined && value > rules.max) return msg.max;
        return null;
      case "radio":
      case "select":
      case "scale":
        return rules.options.indexOf(text) < 0 ? msg.option : null;
      case "date":
        var iso = parseDate(text);
        if (!iso) return msg.format;
        if (rules.min && iso < rules.min) return msg.min;
        if (rules.max && iso > rules.max) return msg.max;
        return null;
      case "consent":
        return text === "yes" ? null : msg.option;
    }
    return null;
  }

  function describedTarget(group) {
    return group.querySelector("fieldset") || group.querySelector("input, textarea, select");
  }

  function setDescribedBy(el, id, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x !== id;
    });
    if (on) ids.push(id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }

  function showFieldError(group, message) {
    var id = fieldId(group);
    var old = group.querySelector(".portal-error-message");
    if (old) old.parentNode.removeChild(old);
    group.classList.toggle("portal-form-group--error", !!message);
    group.querySelectorAll("input, textarea, select").forEach(function (el) {
      el.classList.toggle("portal-input--error", !!message && el.type !== "radio" &&
                          el.type !== "checkbox");
      if (message && !group.querySelector("fieldset")) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    });
    setDescribedBy(describedTarget(group), id + "-error", !!message);
    if (!message) return;
    var p = document.createElement("p");
    p.className = "portal-error-message";
    p.id = id + "-error";
    var hidden = document.createElement("span");
    hidden.className = "portal-visually-hidden";
    hidden.textContent = say(group, "error");
    p.appendChild(hidden);
    p.appendChild(document.createTextNode(" " + message));
    var before = group.querySelector(".portal-fieldset__legend ~ .portal-hint, .portal-hint");
    var anchor = before ? before.nextSibling :
      (group.querySelector("legend") || group.querySelector("label")).nextSibling;
    anchor.parentNode.insertBefore(p, anchor);
  }

  function showSummary(wrapper, form, errors) {
    var summary = wrapper.querySelector("[data-portal-error-summary]");
    var list = summary.querySelector("ul");
    list.innerHTML = "";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + (e.field === "_form" || !e.field ? form.id : e.field);
      a.textContent = e.message;
      li.appendChild(a);
      list.appendChild(li);
    });
    summary.hidden = errors.length === 0;
    // The prefix as the page's language writes it ("Error: ", "Gwall: "), as the server does.
    var prefix = say(wrapper, "error_title", { title: "" });
    var prefixed = prefix !== "" && document.title.indexOf(prefix) === 0;
    if (errors.length && !prefixed) {
      document.title = say(wrapper, "error_title", { title: document.title });
    }
    if (!errors.length && prefixed) document.title = document.title.slice(prefix.length);
    if (errors.length) summary.querySelector("[role=alert]").focus();
  }

  function showErrors(wrapper, form, errors) {
    var byField = {};
    errors.forEach(function (e) { byField[e.field] = e.message; });
    form.querySelectorAll(FIELDS).forEach(function (group) {
      showFieldError(group, byField[fieldId(group)] || null);
    });
    showSummary(wrapper, form, errors);
  }

  function characterCount(group) {
    var limit = parseInt(group.getAttribute("data-character-count"), 10);
    var textarea = group.querySelector("textarea");
    var status = group.querySelector(".portal-character-count");
    if (!textarea || !status) return;
    status.hidden = false;
    var timer = null;
    status.removeAttribute("aria-live");
    // A visually hidden live region, updated after a pause, so screen readers are not
    // interrupted on every key press (as GOV.UK's character count does).
    var live = document.createElement("div");
    live.className = "portal-visually-hidden";
    live.setAttribute("aria-live", "polite");
    group.appendChild(live);
    function text() {
      var left = limit - count(clean(textarea.value));
      if (left >= 0) return say(group, "characters_left", { n: left });
      return say(group, "characters_over", { n: -left });
    }
    function update() {
      status.textContent = text();
      status.classList.toggle("portal-character-count--over", count(clean(textarea.value)) > limit);
      clearTimeout(timer);
      timer = setTimeout(function () { live.textContent = text(); }, 1000);
    }
    textarea.addEventListener("input", update);
    status.textContent = text();
  }

  function closeWhenDue(wrapper, form) {
    var closes = Date.parse(form.getAttribute("data-closes") || "");
    if (isNaN(closes)) return;
    function close() {
      form.hidden = true;
      var summary = wrapper.querySelector("[data-portal-error-summary]");
      if (summary) summary.hidden = true;
      var notice = wrapper.querySelector("[data-portal-closed-notice]");
      var when = notice.querySelector("[data-portal-closes-text]");
      if (when) {
        when.textContent = new Date(closes).toLocaleString(
          document.documentElement.lang || undefined, { dateStyle: "long", timeStyle: "short" });
      }
      notice.hidden = false;
    }
    // A preview (PORTAL_NOW) pins the page's moment; the script's clock runs on from there.
    var preview = Date.parse(form.getAttribute("data-preview-now") || "");
    var offset = isNaN(preview) ? 0 : preview - Date.now();
    var wait = closes - (Date.now() + offset);
    if (wait <= 0) close();
    else if (wait < 0x7fffffff) setTimeout(close, wait);
  }

  function enhance(form) {
    if (form.hasAttribute("data-portal-enhanced")) return;
    form.setAttribute("data-portal-enhanced", "");
    var wrapper = form.closest("[data-portal-form-wrapper]");
    var idField = form.querySelector('input[name="submission_id"]');
    // The static page carries one id for everybody; each visit gets its own, so a double
    // click or the back button stores once but two people never share an id.
    if (idField) idField.value = newSubmissionId();
    form.querySelectorAll("[data-character-count]").forEach(characterCount);
    closeWhenDue(wrapper, form);

    var sending = false;
    form.addEventListener("submit", function (event) {
      // "Save and come back later" (endpoint/drafts.py): the browser posts it itself,
      // unchecked, and the server's page gives the resume code.
      var submitter = event.submitter || document.activeElement;
      if (submitter && submitter.hasAttribute && submitter.hasAttribute("data-portal-save")) return;
      event.preventDefault();
      if (sending) return;
      var errors = [];
      form.querySelectorAll(FIELDS).forEach(function (group) {
        var message = check(group);
        if (message) errors.push({ field: fieldId(group), message: message });
      });
      showErrors(wrapper, form, errors);
      if (errors.length) return;
      sending = true;
      var button = form.querySelector("[data-portal-submit]");
      if (button) button.setAttribute("aria-disabled", "true");
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      }).then(function (result) {
        var data = result.data;
        if (data.ok && data.redirect) {
          window.location.assign(data.redirect);
          return;
        }
        sending = false;
        if (button) button.removeAttribute("aria-disabled");
        // Codes, never words: the words may change or be translated (endpoint/codes.py).
        if (data.code === "closed" || data.code === "not_open_yet") {
          showSummary(wrapper, form, [{ field: "_form", message: data.error }]);
          return;
        }
        showErrors(wrapper, form, data.errors && data.errors.length ? data.errors :
          [{ field: "_form", message: data.error || say(wrapper, "not_sent") }]);
      }).catch(function () {
        // No answer we understand (offline, a proxy page): let the browser post the form
        // itself, so the response is not lost; the server's page explains what happened.
        sending = false;
        HTMLFormElement.prototype.submit.call(form);
      });
    });
  }

  function enhanceAll() {
    document.querySelectorAll("form[data-portal-form]").forEach(enhance);
  }

  // Material's instant navigation swaps pages without a load event; it announces each one.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(enhanceAll);
  else ready(enhanceAll);

  // --- Error summary links (issue 17) -------------------------------------------------
  // A link in the error summary brings the question into view, label, hint and message
  // first (the group's scroll-margin keeps it below Material's sticky header), then focuses
  // its control without scrolling again, as GOV.UK's error summary does. Without this the
  // browser scrolls the control itself to the top, under the header.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".portal-error-summary a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    var group = target && target.closest(".portal-form-group");
    if (!group) return;
    event.preventDefault();
    group.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });
  // --- end of issue 17 section ---
})();
