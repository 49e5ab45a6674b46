/* Maps load Leaflet (~60 KB compressed) only when the visitor asks for a map, or asked
   for one before on this device: pages stay light on a first visit, and no tile server
   sees a visitor who never opened a map. Each map's page script calls
   whenMapWanted(mapElement, init); init runs once Leaflet is there. */
(function () {
  "use strict";
  var KEY = "cities-maps";
  var loading = null;
  var assets = document.getElementById("map-assets");

  function add(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function loadLeaflet() {
    if (!loading) {
      var d = assets.dataset;
      loading = Promise.all([
        add("link", { rel: "stylesheet", href: d.leafletCss }),
        add("link", { rel: "stylesheet", href: d.clusterCss }),
        add("link", { rel: "stylesheet", href: d.clusterDefaultCss }),
        add("script", { src: d.leafletJs, async: false })
      ]).then(function () { return add("script", { src: d.clusterJs, async: false }); });
    }
    return loading;
  }

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  /* Shows the map now (focus: move the keyboard focus into it once it is drawn). */
  function show(mapEl, init, focus) {
    if (mapEl.dataset.mapState) return;
    mapEl.dataset.mapState = "loading";
    try { window.localStorage.setItem(KEY, "on"); } catch (e) { /* private mode */ }
    var facade = mapEl.previousElementSibling;
    loadLeaflet().then(function () {
      if (facade && facade.classList.contains("map-facade")) facade.hidden = true;
      mapEl.hidden = false;
      init();
      mapEl.dataset.mapState = "shown";
      if (focus) {
        if (!mapEl.hasAttribute("tabindex")) mapEl.setAttribute("tabindex", "0");
        mapEl.focus();
      }
    });
  }

  window.whenMapWanted = function (mapEl, init) {
    if (!mapEl || !assets) return;
    mapEl.showMap = function (focus) { show(mapEl, init, focus); };
    if (remembered() || mapEl.dataset.picker !== undefined) { show(mapEl, init, false); return; }
    var facade = mapEl.previousElementSibling;
    var button = facade && facade.querySelector("[data-action=show-map]");
    if (!button) return;
    facade.hidden = false;
    button.addEventListener("click", function () { show(mapEl, init, true); });
  };
})();
