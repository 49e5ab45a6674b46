/* The activities page: one map kept in sync with the filters in the URL.
   The list is swapped by htmx (it works without this script, as a plain form);
   this script loads the map layer for the visible box and re-reads the URL after
   every swap and on the back button. Labels come from data attributes (translated
   by the server). */
(function () {
  "use strict";
  var mapEl = document.getElementById("finder-map");
  var form = document.getElementById("filters");
  if (!form) return;

  function filterParams() {
    var params = new URLSearchParams(window.location.search);
    ["page", "bbox", "zoom"].forEach(function (k) { params.delete(k); });
    return params;
  }

  /* Back/forward: put the URL's filters back into the form. */
  function syncForm() {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      var values = params.getAll(el.name);
      if (el.type === "checkbox" || el.type === "radio") el.checked = values.indexOf(el.value) !== -1;
      else if (el.tagName === "SELECT" || el.type !== "submit") el.value = values.length ? values[0] : "";
    });
  }

  /* Phones: list or map. */
  var toggle = document.querySelector(".view-toggle");
  var finder = document.getElementById("finder");
  if (toggle && finder) {
    toggle.hidden = false;
    toggle.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-view]");
      if (!button) return;
      var showMap = button.dataset.view === "map";
      finder.classList.toggle("finder--map", showMap);
      toggle.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
      if (showMap && map) { map.invalidateSize(); load(); }
      else if (showMap && mapEl && mapEl.showMap) mapEl.showMap(false);
    });
  }

  var near = document.getElementById("id_near");
  function setNear(lat, lon) {
    near.value = lat.toFixed(4) + "," + lon.toFixed(4);
    near.dispatchEvent(new Event("change", { bubbles: true }));
  }
  var locate = form.querySelector("[data-action=locate]");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        setNear(pos.coords.latitude, pos.coords.longitude);
      });
    });
  }

  var map = null;
  var load = function () {};
  /* Leaflet arrives when the map is wanted (map-loader.js). */
  window.whenMapWanted && window.whenMapWanted(mapEl, function () {
    L.Icon.Default.imagePath = mapEl.dataset.icons;
    map = L.map(mapEl, { keyboard: true, zoomControl: true })
      .setView([parseFloat(mapEl.dataset.lat), parseFloat(mapEl.dataset.lon)], parseInt(mapEl.dataset.zoom, 10));
    L.tileLayer(mapEl.dataset.tiles, { attribution: mapEl.dataset.attribution, maxZoom: 19 }).addTo(map);
    var clusters = L.layerGroup().addTo(map);
    var places = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 }).addTo(map);
    var pointMarker = null;
    var controller = null;

    var label = function (name, count) {
      return (mapEl.dataset["label" + name] || "").replace("{count}", count);
    };

    /* Leaflet makes markers focusable buttons; give each a spoken name. */
    var named = function (marker, text) {
      marker.on("add", function () {
        var el = marker.getElement();
        if (el) el.setAttribute("aria-label", text);
      });
      return marker;
    };

    var clusterIcon = function (n) {
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      return L.divIcon({
        html: "<div><span>" + n + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40)
      });
    };

    var popupFor = function (place) {
      var box = document.createElement("div");
      var list = document.createElement("ul");
      list.className = "map-popup";
      place.activities.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "/activities/" + item[0] + "/";
        a.textContent = item[1];
        li.appendChild(a);
        list.appendChild(li);
      });
      box.appendChild(list);
      if (place.count > place.activities.length && place.venue) {
        var more = document.createElement("a");
        var params = filterParams();
        params.set("venue", place.venue);
        more.href = "?" + params.toString();
        more.textContent = label("More", place.count);
        box.appendChild(more);
      }
      return box;
    };

    load = function () {
      if (mapEl.offsetParent === null) return; // hidden (phone, list view)
      var b = map.getBounds();
      var params = filterParams();
      params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
        return Math.max(-180, Math.min(180, v)).toFixed(5);
      }).join(","));
      params.set("zoom", map.getZoom());
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(mapEl.dataset.layerUrl + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        if (!data) return;
        clusters.clearLayers();
        places.clearLayers();
        if (data.mode === "clusters") {
          data.clusters.forEach(function (c) {
            var marker = named(L.marker([c[0], c[1]], { icon: clusterIcon(c[2]), title: label("Cluster", c[2]) }), label("Cluster", c[2]));
            marker.on("click", function () { map.setView([c[0], c[1]], Math.min(map.getZoom() + 2, 18)); });
            clusters.addLayer(marker);
          });
        } else {
          var markers = data.places.map(function (p) {
            var title = p.activities.map(function (a) { return a[1]; }).join("; ");
            return named(L.marker([p.lat, p.lon], { title: title, alt: title }), title).bindPopup(popupFor(p));
          });
          places.addLayers(markers);
        }
      }).catch(function () {});
    };

    var timer = null;
    map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(load, 150); });

    var pick = form.querySelector("[data-action=pick]");
    var picking = false;
    if (pick) {
      pick.hidden = false;
      pick.addEventListener("click", function () {
        picking = true;
        mapEl.classList.add("map--picking");
        if (toggle && finder && !finder.classList.contains("finder--map") && window.matchMedia("(max-width: 60rem)").matches) {
          toggle.querySelector("[data-view=map]").click();
        }
        mapEl.focus();
      });
    }
    map.on("click", function (event) {
      if (!picking) return;
      picking = false;
      mapEl.classList.remove("map--picking");
      setNear(event.latlng.lat, event.latlng.lng);
    });
    /* Keyboard: Enter while picking takes the map's centre. */
    mapEl.addEventListener("keydown", function (event) {
      if (picking && event.key === "Enter" && event.target === mapEl) {
        picking = false;
        mapEl.classList.remove("map--picking");
        var c = map.getCenter();
        setNear(c.lat, c.lng);
      }
    });

    var showPoint = function () {
      if (pointMarker) { map.removeLayer(pointMarker); pointMarker = null; }
      var value = new URLSearchParams(window.location.search).get("near");
      if (!value) return;
      var parts = value.split(",").map(parseFloat);
      if (parts.length !== 2 || isNaN(parts[0]) || isNaN(parts[1])) return;
      pointMarker = L.circleMarker(parts, { radius: 8, color: "#000", weight: 3, fillOpacity: 0.2 })
        .bindTooltip(mapEl.dataset.labelPoint).addTo(map);
    };
    showPoint();
    load();
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (event.target && event.target.id === "results") { showPoint(); load(); }
    });
  });

  document.body.addEventListener("htmx:historyRestore", function () {
    syncForm();
    if (map) { load(); }
  });
  window.addEventListener("popstate", function () { setTimeout(syncForm, 0); });
})();
