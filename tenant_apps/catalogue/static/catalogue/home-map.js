/* The home page's map: clusters of the whole territory, a click opens the finder. */
(function () {
  "use strict";
  var el = document.getElementById("home-map");
  if (!el || !window.whenMapWanted) return;
  window.whenMapWanted(el, function () {
  var map = L.map(el, { scrollWheelZoom: false, dragging: !L.Browser.mobile, keyboard: false, zoomControl: false })
    .setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], parseInt(el.dataset.zoom, 10) - 1);
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  var b = map.getBounds();
  var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
  fetch(el.dataset.layerUrl + "?zoom=" + map.getZoom() + "&bbox=" + bbox, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data) return;
      var items = data.mode === "clusters" ? data.clusters : data.places.map(function (p) { return [p.lat, p.lon, p.count]; });
      items.forEach(function (c) {
        L.circleMarker([c[0], c[1]], { radius: Math.min(28, 6 + Math.sqrt(c[2]) * 2), weight: 2, fillOpacity: 0.5, interactive: false }).addTo(map);
      });
    }).catch(function () {});
  });
})();
