/* The /search/ page of large archives (generator/search/page.py writes its markup).
 *
 * The index is split into shards by date (pagefind/shards.json, newest first), each its own
 * Pagefind bundle. A query searches the newest shard only; older shards are searched when the
 * reader asks for more ("Search 2019–2021"), and a year filter picks the shards holding that
 * year. So a query downloads one shard's metadata and index chunks, not the whole archive's.
 * The filter menus are filled from pagefind/filters.json when the reader first opens them,
 * never from Pagefind's filter data; a filter's data is fetched (per shard) only once used.
 *
 * A result's URL, title, filters and text (its "fragment") are read from the shard's packs
 * (pack/<n>.pf_pack, gzip of JSON, a few fragments each; generator/search/packs.py), not from Pagefind's one
 * file per page: n is the result id's hex part modulo the shard's `packs`. The excerpt is
 * then cut here as Pagefind cuts it (30 words around the densest run of hits).
 *
 * Record text reaches the page only as text nodes (textContent, createTextNode); Pagefind's
 * excerpt is HTML with <mark>, so it is split at those tags and each piece decoded as text.
 */
(function () {
  "use strict";

  var root = document.getElementById("ba-search");
  if (!root || !window.fetch || !window.URL) return;

  // Results shown at a time; data-page-size (read when used) lets a test page through a
  // small archive.
  function pageSize() {
    return Number(root.getAttribute("data-page-size")) || 10;
  }
  var AUTO = 3; // shards searched in a row without a click while they find nothing
  var FILTERS = ["year", "kind", "topic", "actor"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var SECTIONS = { actors: "Actor", topics: "Topic", briefings: "Briefing" };

  var bundle = new URL(root.getAttribute("data-bundle"), window.location.href);
  var siteBase = new URL(root.getAttribute("data-site"), window.location.href).pathname;
  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var details = root.querySelector("details");
  var status = root.querySelector(".ba-search__status");
  var list = root.querySelector(".ba-search__results");
  var older = root.querySelector(".ba-search__older");
  var selects = {};
  FILTERS.forEach(function (name) {
    selects[name] = root.querySelector("select[name=" + name + "]");
  });

  var EXCERPT = 30; // words in an excerpt, Pagefind's default
  var manifest = null; // promise of shards.json
  var pagefind = null; // promise of the pagefind.js module (imported once)
  var instances = {}; // shard path -> Pagefind instance
  var packs = {}; // shard path + pack number -> promise of the pack's fragments
  var filterValues = null; // promise of filters.json
  var current = null; // the search on screen
  var generation = 0; // bumps with every new search, so stale answers are dropped
  var timer = null;

  function loadManifest() {
    if (!manifest) {
      manifest = fetch(new URL("shards.json", bundle)).then(function (r) {
        if (!r.ok) throw new Error("shards.json: HTTP " + r.status);
        return r.json();
      });
    }
    return manifest;
  }

  function instance(shard) {
    if (!instances[shard.path]) {
      var base = new URL(shard.path, bundle);
      if (!pagefind) pagefind = import(new URL("pagefind.js", base).href);
      instances[shard.path] = pagefind.then(function (module) {
        // One instance per shard; they share pagefind.js and its worker.
        return module.createInstance({ basePath: base.pathname, baseUrl: siteBase });
      });
    }
    return instances[shard.path];
  }

  function chosenFilters() {
    var chosen = {};
    FILTERS.forEach(function (name) {
      if (selects[name] && selects[name].value) chosen[name] = selects[name].value;
    });
    return chosen;
  }

  function quoted(text) {
    return "\u201c" + text + "\u201d";
  }

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] : "";
  }

  // Pagefind's excerpt: text (with &lt; &gt; &amp; escaped) and <mark> around the hits.
  var decoder = document.createElement("textarea");
  function excerptNodes(excerpt, into) {
    String(excerpt || "").split(/(<mark>|<\/mark>)/).reduce(function (marked, piece) {
      if (piece === "<mark>") return true;
      if (piece === "</mark>") return false;
      if (piece) {
        decoder.innerHTML = piece; // a textarea's content is text: no element can form
        var text = document.createTextNode(decoder.value);
        if (marked) {
          var mark = document.createElement("mark");
          mark.appendChild(text);
          into.appendChild(mark);
        } else {
          into.appendChild(text);
        }
      }
      return marked;
    }, false);
  }

  // A pack is gzip of JSON; a host that sent it decompressed already sent the JSON.
  function unpack(buffer) {
    var head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
    var body = new Response(buffer).body;
    if (head[0] === 0x1f && head[1] === 0x8b) {
      if (!window.DecompressionStream) throw new Error("this browser cannot read search results");
      body = body.pipeThrough(new window.DecompressionStream("gzip"));
    }
    return new Response(body).json();
  }

  function pack(shard, number) {
    var key = shard.path + number;
    if (!packs[key]) {
      packs[key] = fetch(new URL(shard.path + "pack/" + number + ".pf_pack", bundle)).then(
        function (r) {
          if (!r.ok) throw new Error("pack " + number + ": HTTP " + r.status);
          return r.arrayBuffer();
        }).then(unpack);
      packs[key].catch(function () { delete packs[key]; }); // fetched again next time
    }
    return packs[key];
  }

  // The first word of Pagefind's excerpt: the window of EXCERPT words holding the most hits
  // (the middle one when several windows in a row tie), as Pagefind's calculate_excerpt_region
  // with every hit weighing the same.
  function excerptStart(locations) {
    var hits = [];
    locations.forEach(function (at) { hits[at] = (hits[at] || 0) + 1; });
    if (hits.length <= EXCERPT) return 0;
    var sum = 0;
    var i;
    for (i = 0; i < EXCERPT; i++) sum += hits[i] || 0;
    var best = sum;
    var starts = [0];
    for (i = 0; i < hits.length; i++) {
      sum += (hits[i + EXCERPT] || 0) - (hits[i] || 0);
      if (sum > best) {
        best = sum;
        starts = [i];
      } else if (sum === best && starts[starts.length - 1] === i - 1) {
        starts.push(i);
      }
    }
    return starts[Math.floor(starts.length / 2)];
  }

  // Pagefind's excerpt of a fragment's text for hits at word `locations`: text with < and >
  // escaped, the hits in <mark>.
  function excerptOf(content, locations) {
    var text = String(content || "").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    var zws = text.indexOf("\u200B") >= 0; // scripts without spaces: words cut by Pagefind
    var words = zws ? text.split("\u200B") : text.split(/[\r\n\s]+/g);
    var length = Math.min(EXCERPT, words.length);
    var start = Math.max(0, Math.min(excerptStart(locations), words.length - length));
    locations.forEach(function (at) {
      if (words[at] !== undefined && words[at].indexOf("<mark>") !== 0) {
        words[at] = "<mark>" + words[at] + "</mark>";
      }
    });
    return words.slice(start, start + length).join(zws ? "" : " ").trim();
  }

  // What resultItem shows of a Pagefind result, read from its shard's pack.
  function resultData(shard, result) {
    var id = String(result.id);
    var number = parseInt(id.slice(id.lastIndexOf("_") + 1), 16) % (shard.packs || 1);
    return pack(shard, number).then(function (fragments) {
      var fragment = fragments[id];
      if (!fragment) throw new Error("search result " + id + " is missing from its pack");
      return {
        url: (siteBase + "/" + fragment.url).replace(/\/+/g, "/"),
        raw_url: fragment.url,
        meta: fragment.meta || {},
        filters: fragment.filters || {},
        excerpt: excerptOf(fragment.content, result.words || []),
      };
    });
  }

  function safeUrl(url) {
    return /^(\/|https?:\/\/)/.test(url || "") ? url : "#";
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "ba-search__result";
    var link = document.createElement("a");
    link.className = "ba-search__link";
    link.href = safeUrl(data.url);
    link.textContent = (data.meta && data.meta.title) || data.url;
    var heading = document.createElement("h3");
    heading.className = "ba-search__title";
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [];
    var filters = data.filters || {};
    var section = (data.raw_url || data.url || "").replace(/^\/+/, "").split("/")[0];
    if (filters.kind && filters.kind.length) facts.push(filters.kind[0]);
    else if (SECTIONS[section]) facts.push(SECTIONS[section]);
    if (data.meta && data.meta.date) facts.push(formatDate(data.meta.date));
    if (filters.actor && filters.actor.length && section === "statements") {
      facts.push(filters.actor.slice(0, 3).join(", "));
    }
    if (facts.length) {
      var meta = document.createElement("p");
      meta.className = "ba-search__facts";
      meta.textContent = facts.join(" · ");
      item.appendChild(meta);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "ba-search__excerpt";
    excerptNodes(data.excerpt, excerpt);
    item.appendChild(excerpt);
    return item;
  }

  function describe(search) {
    var searched = search.groups.map(function (g) { return g.shard.label; });
    var text = plural(search.total, "result") + " for " + quoted(search.query);
    if (searched.length) text += " in " + searched.join(", ");
    if (search.next < search.shards.length) text += "; earlier years not searched yet";
    return text + ".";
  }

  // Each period's "Show more" pages through its own results, also once older periods are
  // searched; "Search <period>" searches the next shard.
  function updateMore(search) {
    search.groups.forEach(function (group) {
      if (!group.more) return;
      var left = group.results.length - group.shown;
      if (left > 0) {
        var label = "Show " + Math.min(left, pageSize()) + " more from " + group.shard.label;
        group.more.textContent = label;
      }
      group.more.hidden = left <= 0;
    });
    if (search.next < search.shards.length) {
      older.textContent = "Search " + search.shards[search.next].label;
    }
    older.hidden = search.next >= search.shards.length;
  }

  var finished = 0; // data-done counts finished searches and steps (for tests and benches)
  function finish(search) {
    status.textContent = describe(search);
    updateMore(search);
    root.setAttribute("data-state", "done");
    root.setAttribute("data-done", String(++finished));
  }

  function fail(search, error) {
    if (search.id !== generation) return;
    status.textContent = "Search failed: " + (error && error.message ? error.message : error);
    root.setAttribute("data-state", "error");
  }

  // Show the next page of one period's results.
  function showMore(search, group) {
    var batch = group.results.slice(group.shown, group.shown + pageSize());
    group.shown += batch.length;
    var data = batch.map(function (r) { return resultData(group.shard, r); });
    return Promise.all(data).then(function (datas) {
      if (search.id !== generation) return;
      datas.forEach(function (data) { group.list.appendChild(resultItem(data)); });
    });
  }

  // Search the next shard; on no results, go on to older ones, AUTO shards at most.
  function searchNext(search, budget) {
    var shard = search.shards[search.next++];
    var filters = {};
    Object.keys(search.filters).forEach(function (k) { filters[k] = [search.filters[k]]; });
    return instance(shard).then(function (pf) {
      return pf.search(search.query, { filters: filters });
    }).then(function (answer) {
      if (search.id !== generation) return null;
      var results = (answer && answer.results) || [];
      search.total += results.length;
      var group = { shard: shard, results: results, shown: 0, list: null, more: null };
      search.groups.push(group);
      if (!results.length) {
        if (budget > 1 && search.next < search.shards.length) {
          return searchNext(search, budget - 1);
        }
        return null;
      }
      var section = document.createElement("section");
      section.className = "ba-search__group";
      var heading = document.createElement("h2");
      heading.textContent = shard.label + " \u00b7 " + plural(results.length, "result");
      section.appendChild(heading);
      group.list = document.createElement("ol");
      group.list.className = "ba-search__list";
      section.appendChild(group.list);
      group.more = document.createElement("button");
      group.more.type = "button";
      group.more.className = "md-button ba-search__more";
      group.more.hidden = true;
      group.more.addEventListener("click", function () { onMore(search, group); });
      section.appendChild(group.more);
      list.appendChild(section);
      return showMore(search, group);
    });
  }

  function step(search, work) {
    root.setAttribute("data-state", "searching");
    status.textContent = "Searching\u2026";
    work.then(function () {
      if (search.id === generation) finish(search);
    }, function (error) { fail(search, error); });
  }

  function onMore(search, group) {
    if (search.id === generation) step(search, showMore(search, group));
  }

  function onOlder() {
    var search = current;
    if (search && search.id === generation && search.next < search.shards.length) {
      step(search, searchNext(search, AUTO));
    }
  }

  function syncUrl(query, filters) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    FILTERS.forEach(function (k) { if (filters[k]) params.set(k, filters[k]); });
    var text = params.toString();
    var url = window.location.pathname + (text ? "?" + text : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* file:// */ }
  }

  function start() {
    var query = input.value.trim();
    var filters = chosenFilters();
    var id = ++generation;
    syncUrl(query, filters);
    list.textContent = "";
    older.hidden = true;
    if (!query) {
      // No filter-only searches: without words Pagefind loads every index chunk of a shard
      // (1.5 MB at 10,000 statements). The actor, topic and date pages list by filter.
      status.textContent = Object.keys(filters).length
        ? "Type words to search for; the filters narrow the results."
        : "";
      root.setAttribute("data-state", "idle");
      current = null;
      return;
    }
    root.setAttribute("data-state", "searching");
    status.textContent = "Searching\u2026";
    loadManifest().then(function (m) {
      if (id !== generation) return null;
      var shards = m.shards.filter(function (s) {
        return !filters.year || s.years.indexOf(filters.year) >= 0;
      });
      var search = { id: id, query: query, filters: filters, shards: shards, next: 0,
        groups: [], total: 0 };
      current = search;
      if (!shards.length) {
        finish(search);
        return null;
      }
      return searchNext(search, AUTO).then(function () {
        if (search.id === generation) finish(search);
      }, function (error) { fail(search, error); });
    }, function (error) { fail({ id: id }, error); });
  }

  function fillMenus() {
    if (!filterValues) {
      filterValues = fetch(new URL("filters.json", bundle)).then(function (r) {
        if (!r.ok) throw new Error("filters.json: HTTP " + r.status);
        return r.json();
      });
      filterValues.then(function (values) {
        FILTERS.forEach(function (name) {
          var select = selects[name];
          if (!select) return;
          var chosen = select.value;
          while (select.options.length > 1) select.remove(1);
          (values[name] || []).forEach(function (value) {
            select.add(new Option(value, value, false, value === chosen));
          });
          if (chosen && select.value !== chosen) select.add(new Option(chosen, chosen, true, true));
        });
        root.setAttribute("data-filters", "loaded");
      }, function () {
        filterValues = null; // try again when the menus are opened next
      });
    }
    return filterValues;
  }

  // A filter given in the URL is selected before its menu's values are loaded.
  function preselect(name, value) {
    var select = selects[name];
    if (!select || !value) return;
    select.add(new Option(value, value, true, true));
    select.value = value;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    start();
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(start, 300);
  });
  FILTERS.forEach(function (name) {
    if (selects[name]) selects[name].addEventListener("change", start);
  });
  if (details) {
    details.addEventListener("toggle", function () {
      if (details.open) fillMenus();
    });
  }
  older.addEventListener("click", onOlder);

  // /search/?q=words (and ?actor=, topic=, year=, kind=) searches on arrival.
  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  var preset = false;
  FILTERS.forEach(function (name) {
    if (params.get(name)) {
      preselect(name, params.get(name));
      preset = true;
    }
  });
  if (preset && details) details.open = true;
  if (input.value || preset) start(); // without words: only the hint, no search
  else root.setAttribute("data-state", "idle");
})();
