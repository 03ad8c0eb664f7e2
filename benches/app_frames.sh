#!/usr/bin/env bash
# App benchmark under Xvfb with software rendering (Mesa llvmpipe):
# start-up, frame time with the map drawn, and tick-to-update time, on the
# demo region and on Newport (475 output areas, the full street network),
# beside the floor: the same window drawing one label. "pan" measures
# Newport again while the map pans 4 points a frame (the cached map image
# is moved each frame and redrawn in the background).
# "county" generates the synthetic county of issue 13 (COUNTY_NODES
# junctions, default 1,000,000; 6,000 zones with outlines, 300 sites) and
# measures it zoomed out (the whole county) and zoomed in (a town, 10 m a
# point), each with level of detail and without (the baseline), panning.
# "frame" measures the frame itself (issue 13, item 5) against the frame
# as it was drawn before (phase suffix ":old": site markers tessellated,
# the background filled under the whole map, the image composed in the
# frame, the raster worker at normal priority), in the same process: on
# Newport, then on the county (COUNTY_NODES, default 200,000), zoomed out
# and in, panning.
# "pixels" measures the frame's pixels under llvmpipe (issue 13, item 5)
# against the baseline phase suffix ":oldpx" (water and railways drawn as
# egui lines, grid stripes as egui's rounded rectangles, site sprites in
# whole cells), standing still, two rounds each: Newport, then the county
# (COUNTY_NODES, default 200,000) zoomed out and in. Each phase prints the
# CPU time a frame of Mesa's llvmpipe threads; PIXELS=1 adds the census
# of what each frame asks llvmpipe to draw (then the frame times are not
# the benchmark's: the census tessellates each frame again).
# "boxes" measures check boxes, buttons and the other filled rectangles
# drawn as flat pixel rectangles (issue 13, item 5, `box_meshes`) against
# egui's own triangles (phase suffix ":oldbox") and the old pixels
# (":oldpx"), standing still, two rounds each: Newport, then the county
# (COUNTY_NODES, default 200,000; COUNTY_SCENARIO reuses a study already
# written) zoomed out and in.
# Usage: benches/app_frames.sh [floor|demo|newport|pan|county|frame|pixels|boxes]   (default: the first four)
# Needs: xvfb and Mesa (apt-get install xvfb xauth libgl1-mesa-dri libegl1 libxkbcommon-x11-0).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  cargo build --release -q 2>/dev/null
  for cfg in floor demo newport pan; do bash "$0" "$cfg"; done
  exit 0
fi
target="${CARGO_TARGET_DIR:-target}"
bin="$target/release/accessplan"
# BENCH_HOME keeps the travel-time cache between runs (a study opened again reads its columns).
export ACCESSPLAN_HOME="${BENCH_HOME:-$(mktemp -d)}"
run() { xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" app "$@" --bench-frames "${FRAMES:-60}" < /dev/null; }
# Writes the synthetic county study (COUNTY_NODES junctions, default $1;
# 6,000 zones, 300 sites) to a new temporary folder: sets nodes, dir, scenario.
county_study() {
  cargo build --release -q --example county_study 2>/dev/null
  nodes="${COUNTY_NODES:-$1}"
  dir="$(mktemp -d)"
  scenario=$("$target/release/examples/county_study" "$dir" "$nodes" 6000 300) || exit 1
}
case "$1" in
  floor)
    echo "## Floor: the same 1600x1000 window drawing one label"
    ACCESSPLAN_BENCH_EMPTY=1 run datasets/demo/scenarios/hlc-model.toml ;;
  demo)
    echo "## Demo region (795 zones, all panels and the map drawn)"
    run datasets/demo/scenarios/hlc-model.toml --before datasets/demo/scenarios/baseline.toml ;;
  frame)
    FRAMES="${FRAMES:-200}" ACCESSPLAN_BENCH_PHASES="out:on,out:on:old" bash "$0" pan
    county_study 200000
    echo "## The frame on the synthetic county ($nodes junctions, 6,000 zones, 300 sites), panning, against the old frame"
    FRAMES="${FRAMES:-200}" ACCESSPLAN_BENCH_PAN=1 ACCESSPLAN_BENCH_PHASES="out:on,out:on:old,town:on,town:on:old" run "$scenario"
    rm -rf "$dir" ;;
  pixels)
    [ -n "${PIXELS:-}" ] && export ACCESSPLAN_BENCH_PIXELS=1
    FRAMES="${FRAMES:-200}" ACCESSPLAN_BENCH_PHASES="out:on,out:on:oldpx,out:on,out:on:oldpx" bash "$0" newport
    county_study 200000
    echo "## The frame's pixels on the synthetic county ($nodes junctions, 6,000 zones, 300 sites), standing still, against the old pixels"
    FRAMES="${FRAMES:-200}" ACCESSPLAN_BENCH_PHASES="out:on,out:on:oldpx,town:on,town:on:oldpx,out:on,out:on:oldpx,town:on,town:on:oldpx" run "$scenario"
    rm -rf "$dir" ;;
  boxes)
    [ -n "${PIXELS:-}" ] && export ACCESSPLAN_BENCH_PIXELS=1
    FRAMES="${FRAMES:-200}" ACCESSPLAN_BENCH_PHASES="out:on,out:on:oldbox,out:on:oldpx,out:on,out:on:oldbox,out:on:oldpx" bash "$0" newport
    if [ -n "${COUNTY_SCENARIO:-}" ]; then scenario="$COUNTY_SCENARIO"; dir=""; nodes="${COUNTY_NODES:-200000}"; else county_study 200000; fi
    echo "## Check boxes and buttons on the synthetic county ($nodes junctions, 6,000 zones, 300 sites), standing still, against egui's triangles and the old pixels"
    FRAMES="${FRAMES:-200}" ACCESSPLAN_BENCH_PHASES="out:on,out:on:oldbox,out:on:oldpx,town:on,town:on:oldbox,town:on:oldpx,out:on,out:on:oldbox,out:on:oldpx,town:on,town:on:oldbox,town:on:oldpx" run "$scenario"
    [ -n "$dir" ] && rm -rf "$dir" ;;
  newport|pan)
    data=$(cd ../shared/data/newport 2>/dev/null && pwd) || { echo "../shared/data missing: Newport skipped"; exit 0; }
    dir="$(mktemp -d)"
    cat > "$dir/newport.toml" <<TOML
schema_version = 1
name = "Newport surgeries"
[inputs]
osm = "$data/newport-2023-06-13.osm.pbf"
zones = "$data/boundaries/oa.geojson"
zone_id = "OA11CD"
sites_from_osm = "amenity=hospital,clinic,doctors"
[inputs.localities]
file = "$data/boundaries/wards.geojson"
name_field = "WD13NM"
[[service]]
id = "msk-triage"
sites = ["osm-way-40608609", "osm-way-40608970"]
TOML
    if [ "$1" = pan ]; then
      echo "## Newport while panning (4 points a frame)"
      ACCESSPLAN_BENCH_PAN=1 run "$dir/newport.toml"
    else
      echo "## Newport (475 output areas, 20 wards, the OSM street network)"
      run "$dir/newport.toml"
    fi ;;
  county)
    county_study 1000000
    echo "## Synthetic county ($nodes junctions, 6,000 zones, 300 sites), panning; each phase ${FRAMES:-150} frames on the study opened once"
    FRAMES="${FRAMES:-150}" ACCESSPLAN_BENCH_PAN=1 ACCESSPLAN_BENCH_PHASES="out:on,out:off,town:on,town:off" run "$scenario"
    rm -rf "$dir" ;;
esac
