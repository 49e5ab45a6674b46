/* The venue form's address search: the typed words go to the server
   (tenant_apps.catalogue.geocoding), the places come back as a list of buttons; picking
   one fills the address, the neighbourhood (the territory's own) and the coordinates,
   and moves the map's marker (place-map.js listens to the inputs' change). Without
   JavaScript the block stays hidden and the map click and the inputs remain. */
(function () {
  "use strict";
  var box = document.querySelector(".address-search");
  if (!box) return;
  box.hidden = false;
  var input = box.querySelector("input");
  var button = box.querySelector("button");
  var status = box.querySelector(".address-search__status");
  var list = box.querySelector(".address-search__results");
  var field = function (name) { return document.getElementById("id_" + name); };

  function pick(place) {
    if (place.source !== "territory") field("address").value = place.label;
    if (place.neighbourhood && field("neighbourhood")) field("neighbourhood").value = place.neighbourhood;
    ["latitude", "longitude"].forEach(function (name) {
      var el = field(name);
      el.value = String(name === "latitude" ? place.lat : place.lon);
      el.dispatchEvent(new Event("change"));
    });
    list.replaceChildren();
    status.textContent = place.label;
    field("address").focus();
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 3) return;
    fetch(box.dataset.url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var results = data.results || [];
        list.replaceChildren();
        results.forEach(function (place) {
          var item = document.createElement("li");
          var choose = document.createElement("button");
          choose.type = "button";
          choose.className = "link-button";
          choose.textContent = place.label;
          choose.addEventListener("click", function () { pick(place); });
          item.appendChild(choose);
          list.appendChild(item);
        });
        status.textContent = results.length ? box.dataset.found + " " + results.length : box.dataset.none;
        if (results.length) list.querySelector("button").focus();
      })
      .catch(function () { status.textContent = box.dataset.none; });
  }

  button.addEventListener("click", search);
  /* Enter searches instead of submitting the venue form. */
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });
})();
