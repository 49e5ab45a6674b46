#!/usr/bin/env bash
# Copies the front-end libraries installed by `npm ci` into the app's static folder,
# so they are served by the project (never from a CDN). Only the files pages use.
set -euo pipefail
cd "$(dirname "$0")/.."
out=shared_apps/core/static/vendor
rm -rf "$out"
mkdir -p "$out/htmx" "$out/leaflet/images" "$out/leaflet.markercluster"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$out/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$out/leaflet/images/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$out/leaflet.markercluster/"
cp node_modules/htmx.org/LICENSE "$out/htmx/"
cp node_modules/leaflet/LICENSE "$out/leaflet/"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$out/leaflet.markercluster/"
touch "$out/.built"
