#!/usr/bin/env bash
# App benchmark under Xvfb with software rendering (Mesa llvmpipe):
# start-up, frame time with the map drawn, and tick-to-update time, on the
# demo region and on Newport (475 output areas, the full street network).
# Needs: xvfb and Mesa (apt-get install xvfb libgl1-mesa-dri libegl1 libxkbcommon-x11-0).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/accessplan
export ACCESSPLAN_HOME="$(mktemp -d)"
run() { xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" app "$@" --bench-frames 60 || true; }
echo "## Floor: the same 1600x1000 window drawing one label (demo loaded, not drawn)"
ACCESSPLAN_BENCH_EMPTY=1 run datasets/demo/scenarios/hlc-model.toml
echo "## Demo region (795 zones)"
run datasets/demo/scenarios/hlc-model.toml --before datasets/demo/scenarios/baseline.toml
data=../shared/data/newport
if [ -d "$data" ]; then
  dir="$(mktemp -d)"
  abs() { (cd "$(dirname "$1")" && echo "$PWD/$(basename "$1")"); }
  cat > "$dir/newport.toml" <<TOML
schema_version = 1
name = "Newport surgeries"
[inputs]
osm = "$(abs $data/newport-2023-06-13.osm.pbf)"
zones = "$(abs $data/boundaries/oa.geojson)"
zone_id = "OA11CD"
sites_from_osm = "amenity=hospital,clinic,doctors"
[inputs.localities]
file = "$(abs $data/boundaries/wards.geojson)"
name_field = "WD13NM"
[[service]]
id = "msk-triage"
sites = ["osm-way-40608609", "osm-way-40608970"]
TOML
  echo "## Newport (475 output areas, OSM street network)"
  run "$dir/newport.toml"
fi
