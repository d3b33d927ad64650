/* The words the portal's page scripts write (filter.js, rowfind.js), in the page's language.
 *
 * A page gives them as JSON in data-portal-words on the element a script works on; a plural
 * one is an object of forms by CLDR category ("one", "few", "other"...), picked with
 * Intl.PluralRules for the page's <html lang>. A page built before the portal was
 * translated gives none: the script's own English ones are used. Loaded before the scripts
 * that use it (theme/main.html, and the dataset pages beside rowfind.js); loading it twice
 * (a site that also lists it in extra_javascript) changes nothing.
 */
(function () {
  "use strict";
  if (window.portalWords) return;

  window.portalWords = function (element, english) {
    var given = {};
    try { given = JSON.parse(element.getAttribute("data-portal-words") || "{}") || {}; }
    catch (error) { given = {}; }
    var lang = document.documentElement.lang || "en";
    var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
    return function (key, values) {
      var text = given[key] || english[key];
      if (typeof text === "object") {
        var n = values.n;
        text = text[rules ? rules.select(n) : (n === 1 ? "one" : "other")] || text.other;
      }
      return text.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(values || {}, name) ? String(values[name]) : whole;
      });
    };
  };
}());
