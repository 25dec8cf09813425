#!/bin/sh
# build.sh - compile the ns-3 benchmark programs against Debian's libns3-dev.
#
# usage: bench/ns3/build.sh [OUTDIR]     (default: build-bench/bench/ns3)
#
# Debian 12's ns3-*.pc files carry a broken Cflags entry ("-I/usr;"), so the
# flags are spelled out here: the headers live in /usr/include/ns3 and are
# included as "ns3/...", the libraries are libns3-<module>.so in the default
# library path.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build-bench/bench/ns3}
cxx=${CXX:-g++}

if [ ! -f /usr/include/ns3/core-module.h ]; then
	echo "build.sh: ns-3 headers not found: apt-get install libns3-dev" >&2
	exit 1
fi
mkdir -p "$out"

cxxflags="-std=c++17 -O2 -DNDEBUG -Wall -Wextra -I/usr/include"

echo "build.sh: $out/hold"
$cxx $cxxflags -o "$out/hold" "$here/hold.cc" -lns3-core

echo "build.sh: $out/chain"
$cxx $cxxflags -o "$out/chain" "$here/chain.cc" \
    -lns3-applications -lns3-internet -lns3-point-to-point \
    -lns3-traffic-control -lns3-bridge -lns3-network -lns3-stats -lns3-core

echo "build.sh: $out/tcp_bulk"
$cxx $cxxflags -o "$out/tcp_bulk" "$here/tcp_bulk.cc" \
    -lns3-applications -lns3-internet -lns3-point-to-point \
    -lns3-traffic-control -lns3-bridge -lns3-network -lns3-stats -lns3-core

echo "build.sh: $out/aqm_dumbbell"
$cxx $cxxflags -o "$out/aqm_dumbbell" "$here/aqm_dumbbell.cc" \
    -lns3-internet-apps -lns3-applications -lns3-internet \
    -lns3-point-to-point -lns3-traffic-control -lns3-bridge -lns3-network \
    -lns3-stats -lns3-core
