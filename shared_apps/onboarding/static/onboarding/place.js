// Map centre: clicking the map fills the coordinate fields; typing them moves the marker.
(function () {
  const element = document.getElementById("center-map");
  const lat = document.getElementById("id_latitude");
  const lon = document.getElementById("id_longitude");
  if (!element || !lat || !lon || typeof L === "undefined") return;
  const start = [parseFloat(lat.value) || 50.0, parseFloat(lon.value) || 15.0];
  const map = L.map(element).setView(start, lat.value ? 11 : 4);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 18, attribution: "© OpenStreetMap" }).addTo(map);
  }
  const marker = L.marker(start, { keyboard: false });
  if (lat.value && lon.value) marker.addTo(map);
  map.on("click", (event) => {
    lat.value = event.latlng.lat.toFixed(5);
    lon.value = event.latlng.lng.toFixed(5);
    marker.setLatLng(event.latlng).addTo(map);
  });
  const moved = () => {
    const position = [parseFloat(lat.value), parseFloat(lon.value)];
    if (Number.isFinite(position[0]) && Number.isFinite(position[1])) {
      marker.setLatLng(position).addTo(map);
      map.panTo(position);
    }
  };
  lat.addEventListener("change", moved);
  lon.addEventListener("change", moved);
})();
