/* The static site's script: picks a precomputed view and draws it with Leaflet.
 *
 * Every view (event x visible parties x shaded party) was computed in Python by
 * the dashboard's own code (python -m dashboard.publish): this script decides
 * no fill, line or text. It looks the view up in window.PEACE_MAP_DATA and draws
 * it. Strings from the data are HTML already escaped by the Python side; text
 * made here from the link (notices) is set with textContent, never as HTML.
 */
(function () {
  "use strict";

  var D = window.PEACE_MAP_DATA;
  var S = D.strings;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var NO_POSITION = "No shown party has a stated position on this region at this date.";
  var LABEL_GAP = 2; // px kept clear around each place name
  var phone = window.matchMedia("(max-width: 760px)"); // the width site.css lays out for phones

  var byId = function (id) { return document.getElementById(id); };
  var partyIds = D.parties.map(function (p) { return p.id; });
  var eventIds = D.events.map(function (e) { return e.id; });
  var regionIds = D.regions.map(function (r) { return r.code; });

  // What is on screen: an event index, a bit mask of visible parties (bit i: i-th party), the requested shade
  // ("" = the view's default) and the selected region. Opens on the latest event with every party shown.
  function defaults() {
    return { event: D.events.length - 1, mask: (1 << D.parties.length) - 1, shade: "", region: "" };
  }
  var current = defaults();

  // Text of escaped HTML, for attributes (aria-valuetext). DOMParser documents are inert: nothing loads or runs.
  function textOf(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent;
  }

  // ---- The view in the link: ?event=...&parties=a,b&shade=...&region=... (or the same after #) ----

  function readLink() {
    current = defaults();
    var params = new URLSearchParams(window.location.search);
    new URLSearchParams(window.location.hash.replace(/^#/, "")).forEach(function (value, key) {
      params.set(key, value); // the hash wins: some hosts drop query strings from embeds
    });
    var notices = [];
    var event = params.get("event");
    if (event !== null && event !== "") {
      if (eventIds.indexOf(event) >= 0) {
        current.event = eventIds.indexOf(event);
      } else {
        notices.push("Unknown event '" + short(event) + "' in the link: showing the latest event.");
      }
    }
    if (params.has("parties")) {
      var wanted = params.get("parties").split(",").map(function (p) { return p.trim(); }).filter(Boolean);
      current.mask = 0;
      wanted.forEach(function (p) {
        var i = partyIds.indexOf(p);
        if (i >= 0) { current.mask |= 1 << i; } else { notices.push("Unknown party '" + short(p) + "' in the link."); }
      });
    }
    var shade = params.get("shade");
    if (shade) {
      var index = partyIds.indexOf(shade);
      if (index >= 0 && current.mask & (1 << index)) {
        current.shade = shade;
      } else {
        notices.push("Cannot shade by '" + short(shade) + "': it is not a shown party.");
      }
    }
    var region = params.get("region");
    if (region) {
      if (regionIds.indexOf(region) >= 0) { current.region = region; } else {
        notices.push("Unknown region '" + short(region) + "' in the link.");
      }
    }
    var box = byId("pms-notice");
    box.textContent = notices.join(" ");
    box.hidden = notices.length === 0;
  }

  function short(text) {
    return text.length <= 40 ? text : text.slice(0, 39) + "…";
  }

  function writeLink(view) {
    var query = new URLSearchParams();
    query.set("event", eventIds[current.event]);
    query.set("parties", partyIds.filter(function (_, i) { return current.mask & (1 << i); }).join(","));
    if (view.shade) { query.set("shade", view.shade); }
    if (current.region) { query.set("region", current.region); }
    try {
      window.history.replaceState(null, "", "?" + query.toString().replace(/%2C/g, ","));
    } catch (error) {
      // Some file:// and sandboxed pages refuse; the view still works, only the address does not follow.
    }
  }

  // ---- The map that never changes: neighbours, oblasts, names ----

  var base = D.base;
  var map = L.map("pms-map", Object.assign({}, base.options, { maxBounds: base.maxBounds }));
  // A phone is narrower than the whole country at the app's smallest zoom: let it zoom out just enough.
  var minZoom = map.getMinZoom();
  map.setMinZoom(0); // getBoundsZoom never answers below the minimum
  map.setMinZoom(Math.min(minZoom, Math.floor(map.getBoundsZoom(base.bounds) * 4) / 4));
  map.fitBounds(base.bounds);
  window.pmsMap = map; // for tests and embedders: the Leaflet map
  if (base.scale) { L.control.scale().addTo(map); }

  base.neighbours.forEach(function (shape) {
    L.geoJSON(shape, { style: base.neighbourStyle, interactive: false }).addTo(map);
  });
  D.regions.forEach(function (region) {
    L.geoJSON(region.shape, { style: base.oblastStyle, className: "pms-oblast" })
      .bindTooltip(region.name)
      .on("click", function () { select(region.code); })
      .addTo(map);
  });
  // Names in the build's order of priority (larger oblasts first, then countries): at each zoom, a name that
  // would overlap one already placed is hidden, so names never print over each other on a phone.
  var labelMarkers = base.labels.map(function (item) {
    return L.marker([item[0], item[1]], {
      icon: L.divIcon({ html: item[2], className: "", iconSize: base.labelBox, iconAnchor: base.labelAnchor }),
      interactive: false,
      keyboard: false,
    }).addTo(map);
  });

  function textBox(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var r = range.getBoundingClientRect();
    return { left: r.left - LABEL_GAP, top: r.top - LABEL_GAP, right: r.right + LABEL_GAP, bottom: r.bottom + LABEL_GAP };
  }

  function declutter() {
    var placed = [];
    var frame = map.getContainer().getBoundingClientRect();
    labelMarkers.forEach(function (marker) {
      var icon = marker.getElement();
      if (!icon || !icon.firstChild) { return; }
      var box = textBox(icon.firstChild);
      var cut = box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom;
      var clash = cut || placed.some(function (p) {
        return box.left < p.right && p.left < box.right && box.top < p.bottom && p.top < box.bottom;
      });
      icon.style.visibility = clash ? "hidden" : "";
      if (!clash) { placed.push(box); }
    });
  }
  map.on("zoomend moveend resize", declutter);
  declutter();

  var overlay = L.layerGroup().addTo(map);

  // The SVG patterns a view's regions use, put into the map's <svg> once each (as mapview._PatternDefs does).
  function addPatterns(indices) {
    var svg = document.querySelector("#pms-map .leaflet-overlay-pane svg");
    if (!svg) { return; }
    var defs = svg.querySelector("defs.pm-patterns");
    if (!defs) {
      defs = document.createElementNS(SVG_NS, "defs");
      defs.setAttribute("class", "pm-patterns");
      svg.insertBefore(defs, svg.firstChild);
    }
    indices.forEach(function (index) {
      var pair = D.patterns[index];
      if (!defs.querySelector("#" + pair[0])) { defs.insertAdjacentHTML("beforeend", pair[1]); }
    });
  }

  function addFeature(shape, styleIndex, tooltipIndex, className, code) {
    var style = D.styles[styleIndex];
    var layer = L.geoJSON(shape, { style: style, className: className }).bindTooltip(S[tooltipIndex], { sticky: true });
    if (code) { layer.on("click", function () { select(code); }); }
    if (className === "pms-region" && base.highlight) {
      layer.on("mouseover", function () { layer.setStyle(base.highlight); });
      layer.on("mouseout", function () { layer.resetStyle(); });
    }
    overlay.addLayer(layer);
    if (code) { layer.eachLayer(function (path) { path.getElement().setAttribute("data-region", code); }); }
  }

  // ---- Drawing one view ----

  function currentView() {
    var picks = D.events[current.event].views[current.mask];
    var index = Object.prototype.hasOwnProperty.call(picks, current.shade) ? picks[current.shade] : picks[""];
    return D.views[index];
  }

  function draw() {
    var event = D.events[current.event];
    var view = currentView();
    current.shade = view.shade;
    overlay.clearLayers(); // removed and redrawn in one task: the browser never paints an empty map
    view.regions.forEach(function (r) {
      addFeature(D.regions[r[0]].shape, r[1], r[2], "pms-region", D.regions[r[0]].code);
    });
    // Then, in the app's order: land asked for beyond the front line, proposed lines, the front line.
    view.overlays.forEach(function (o) { addFeature(D.geometries[o[0]], o[1], o[2], "pms-" + o[3], ""); });
    addPatterns(view.patterns); // after the paths, so the map's <svg> exists; url(#id) fills resolve lazily

    byId("pms-legend").innerHTML = S[view.legend];
    byId("pms-caption").innerHTML = S[view.caption];
    byId("pms-heading").innerHTML = S[event.heading];
    byId("pms-summary").innerHTML = S[event.summary];
    byId("pms-events").innerHTML = S[event.events];
    showPositions(event);
    byId("pms-label").innerHTML = S[event.label];
    byId("pms-date-source").innerHTML = S[event.dateSource];
    byId("pms-date-source").parentNode.hidden = !S[event.dateSource]; // the date is in the article itself
    var slider = byId("pms-slider");
    slider.value = String(current.event);
    slider.setAttribute("aria-valuetext", textOf(S[event.label]));
    byId("pms-back").disabled = current.event === 0;
    byId("pms-next").disabled = current.event === D.events.length - 1;
    showControls(view);
    showSelection(view);
    writeLink(view);
  }

  // The date's table of positions and quotes (every party's rows): only the shown parties' rows stay visible.
  function showPositions(event) {
    var box = byId("pms-positions");
    box.innerHTML = S[event.positions];
    box.querySelectorAll("tr[data-party]").forEach(function (row) {
      row.hidden = !(current.mask & (1 << partyIds.indexOf(row.getAttribute("data-party"))));
    });
  }

  // ---- Controls ----

  // The one-line summary of the folded layer controls on a phone.
  function foldSummary(view) {
    var shown = D.parties.filter(function (_, i) { return current.mask & (1 << i); });
    var names = shown.map(function (p) { return textOf(p.name); }).join(", ") || "none";
    var shade = D.parties.filter(function (p) { return p.id === view.shade; })[0];
    byId("pms-fold-summary").textContent =
      "Layers: " + names + (shade ? " · shaded by " + textOf(shade.name) : "");
  }

  function showControls(view) {
    foldSummary(view);
    D.parties.forEach(function (party, i) {
      var shown = Boolean(current.mask & (1 << i));
      byId("pms-party-" + i).setAttribute("aria-pressed", String(shown));
      var option = byId("pms-shade-" + i);
      option.hidden = !shown;
      option.querySelector("input").checked = party.id === view.shade;
    });
    byId("pms-shade-none").hidden = current.mask !== 0;
  }

  function buildControls() {
    var toggles = byId("pms-parties");
    var shades = byId("pms-shade-options");
    D.parties.forEach(function (party, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.id = "pms-party-" + i;
      button.className = "pms-party";
      button.appendChild(swatch(party.colour));
      button.insertAdjacentHTML("beforeend", "<span>" + party.name + "</span>"); // escaped by the build
      button.addEventListener("click", function () {
        current.mask ^= 1 << i;
        draw();
      });
      toggles.appendChild(button);

      var label = document.createElement("label");
      label.id = "pms-shade-" + i;
      label.className = "pms-shade-option";
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "pms-shade";
      input.value = party.id;
      input.addEventListener("change", function () {
        current.shade = party.id;
        draw();
      });
      label.appendChild(input);
      label.insertAdjacentHTML("beforeend", "<span>" + party.name + "</span>");
      shades.appendChild(label);
    });
    var slider = byId("pms-slider");
    slider.max = String(D.events.length - 1);
    slider.addEventListener("input", function () { go(Number(slider.value)); });
    byId("pms-back").addEventListener("click", function () { go(current.event - 1); });
    byId("pms-next").addEventListener("click", function () { go(current.event + 1); });
    document.addEventListener("keydown", onKey);
  }

  function swatch(colour) {
    var dot = document.createElement("span");
    dot.className = "pm-dot";
    dot.style.background = colour; // a CSS property, not markup
    return dot;
  }

  function go(index) {
    var next = Math.max(0, Math.min(D.events.length - 1, index));
    if (next !== current.event) {
      current.event = next;
      draw();
    }
  }

  // ← → step through the events anywhere on the page, except where those keys already mean something.
  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    var target = e.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || (target.closest && target.closest("#pms-map"))) {
      return; // the slider and radios move themselves; the map pans
    }
    if (e.key === "ArrowLeft") { go(current.event - 1); e.preventDefault(); }
    if (e.key === "ArrowRight") { go(current.event + 1); e.preventDefault(); }
  }

  // ---- The selected region: its quotes kept below the map (and the way in on a phone, where hover is tap) ----

  function select(code) {
    current.region = code;
    var view = currentView();
    showSelection(view);
    writeLink(view);
    // On a phone the quotes open under the map: bring them into view without covering the map.
    if (code && phone.matches) { byId("pms-selected").scrollIntoView({ block: "nearest" }); }
  }

  function showSelection(view) {
    var box = byId("pms-selected");
    var column = box.parentNode;
    var had = column.classList.contains("pms-has-selection");
    column.classList.toggle("pms-has-selection", Boolean(current.region));
    if (had !== Boolean(current.region)) { map.invalidateSize(); } // a phone's map shrinks to make room
    if (!current.region) {
      box.hidden = true;
      return;
    }
    var index = regionIds.indexOf(current.region);
    var found = view.regions.filter(function (r) { return r[0] === index; })[0];
    if (found) {
      box.innerHTML = S[found[2]];
    } else {
      box.innerHTML = '<div class="pm-head">' + D.regions[index].name + "</div>"; // escaped by the build
      var note = document.createElement("p");
      note.textContent = NO_POSITION;
      box.appendChild(note);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "pms-close";
    close.setAttribute("aria-label", "Close the region's quotes");
    close.textContent = "×";
    close.addEventListener("click", function () { select(""); });
    box.insertBefore(close, box.firstChild);
    box.hidden = false;
  }

  // In an iframe, tell the host page the site's height so the embed can fit it (snippet in docs/publish.md).
  function reportHeight() {
    if (window.parent !== window) {
      window.parent.postMessage({ type: "peace-map-height", height: document.documentElement.scrollHeight }, "*");
    }
  }

  // Wide screens show the controls open (their summary is hidden); a phone folds them into one line.
  function fitLayout() {
    byId("pms-fold").open = !phone.matches;
    map.invalidateSize();
    map.fitBounds(base.bounds);
  }
  if (phone.addEventListener) { phone.addEventListener("change", fitLayout); }

  buildControls();
  readLink();
  byId("pms-fold").open = !phone.matches;
  draw();
  window.addEventListener("hashchange", function () { readLink(); draw(); }); // a link to another view
  if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
  document.documentElement.setAttribute("data-ready", "true"); // tests wait for this
})();
