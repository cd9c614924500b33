// Material's search overlay is a role="dialog" without a name (axe: aria-dialog-name).
// Naming it here keeps us on Material's own partial instead of a forked copy.
document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
  if (!dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
});

// Material reads every <link rel="alternate"> as a language alternate of the site and fetches
// sitemap.xml from beside its href: beside an actor's feed that is a 404 on every page view.
// Feeds are not languages, so they are kept out of its sight while it looks (when the
// document is loaded: its DOMContentLoaded listener was added by the bundle, before this
// one) and put back right after, for feed readers. The HTML as served keeps them throughout.
(function () {
  var feeds = Array.prototype.slice.call(
    document.querySelectorAll('link[rel="alternate"][type="application/atom+xml"]')
  );
  if (!feeds.length) return;
  var places = feeds.map(function (link) {
    var place = { link: link, parent: link.parentNode, next: link.nextSibling };
    link.remove();
    return place;
  });
  document.addEventListener("DOMContentLoaded", function () {
    places.forEach(function (p) { p.parent.insertBefore(p.link, p.next); });
  }, { once: true });
})();

// On this day: /on-this-day/ opens today's page (the reader's own date) when the archive has
// statements from it. Its list of days is what a reader without script, or on a day with
// none, sees. A script file, not one in the page: pages carry no script of their own.
(function () {
  var days = document.querySelector("[data-on-this-day]");
  if (!days) return;
  var now = new Date();
  var key = ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
  var link = days.querySelector('a[data-day="' + key + '"]');
  if (link) {
    location.replace(link.href);
  } else {
    var note = document.getElementById("ba-not-today");
    if (note) note.hidden = false;
  }
})();
