/* Small maps: the places of an activity or a provider ([[lat, lon], ...] in
   data-points), and the venue editor's picker (data-picker: sets the latitude and
   longitude inputs on click, moves with them when typed). */
(function () {
  "use strict";
  if (!window.whenMapWanted) return;
  document.querySelectorAll(".place-map").forEach(function (el) {
    window.whenMapWanted(el, function () { draw(el); });
  });

  function draw(el) {
    L.Icon.Default.imagePath = el.dataset.icons;
    var points = JSON.parse(el.dataset.points || "[]");
    var map = L.map(el, { scrollWheelZoom: false, keyboard: true });
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
    var markers = points.map(function (p) { return L.marker(p, { keyboard: false }).addTo(map); });
    if (points.length === 1) map.setView(points[0], 15);
    /* Padding fits the pins, not just their points: a pin stands 41 px above its point. */
    else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { paddingTopLeft: [24, 48], paddingBottomRight: [24, 12] });
    else map.setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], parseInt(el.dataset.zoom || "12", 10));

    if (el.dataset.picker === undefined) return;
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    var marker = markers[0] || null;
    var place = function (latlng) {
      if (!marker) marker = L.marker(latlng, { keyboard: false }).addTo(map);
      marker.setLatLng(latlng);
    };
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
    /* Keyboard: Enter on the focused map takes its centre. */
    el.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target !== el) return;
      var c = map.getCenter();
      lat.value = c.lat.toFixed(6);
      lon.value = c.lng.toFixed(6);
      place(c);
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = parseFloat(lat.value), b = parseFloat(lon.value);
        if (!isNaN(a) && !isNaN(b)) { place([a, b]); map.setView([a, b]); }
      });
    });
  }
})();
