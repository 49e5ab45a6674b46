/* The choropleth: the stored cells as hexagons, coloured by ratio to the median.
   The table on the page carries the same figures for keyboard and screen readers. */
(function () {
  "use strict";
  var el = document.getElementById("deserts-map");
  if (!el || !window.L) return;
  var map = L.map(el, { scrollWheelZoom: false }).setView(
    [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], parseInt(el.dataset.zoom, 10));
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data || !data.features.length) return;
      var layer = L.geoJSON(data, {
        style: function (f) {
          var c = f.properties.colour;
          return { color: "#555", weight: 0.5, fillColor: c || "#ffffff", fillOpacity: c ? 0.7 : 0.1 };
        },
        interactive: false
      }).addTo(map);
      map.fitBounds(layer.getBounds());
    }).catch(function () {});
})();
