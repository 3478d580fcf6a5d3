#!/usr/bin/env bash
# Lays out, in OUT, a JDK 25 that Fray's prepare-fray goal can link its instrumented JDK from.
#
# Usage: linkable-jdk.sh JDK OUT
#
# prepare-fray runs JDK/bin/jlink with --module-path=JDK/jmods --add-modules=ALL-MODULE-PATH. A JDK
# that ships jmods/ is used as it is (OUT links to it). Temurin 25 ships none: its jlink links from
# its own run-time image instead (JEP 493), but ALL-MODULE-PATH then finds nothing. So OUT/jmods
# holds one module, wal.fray.jdk, that requires every module of the JDK that can be linked that way
# (all but jdk.jlink and jdk.jpackage, which needs it): linking it links them all.
set -euo pipefail

jdk=${1:?usage: linkable-jdk.sh JDK OUT}
out=${2:?usage: linkable-jdk.sh JDK OUT}

if [ ! -x "$jdk/bin/jlink" ] || ! "$jdk/bin/java" -version 2>&1 | grep -q '"25'; then
  echo "Fray needs a JDK 25 (with jlink): $jdk is not one; set -Dfray.jdk=..." >&2
  exit 1
fi
if [ -e "$out/jmods" ]; then
  exit 0 # laid out before
fi

rm -rf "$out"
mkdir -p "$out/bin"
for tool in java jlink; do
  ln -s "$jdk/bin/$tool" "$out/bin/$tool"
done
if [ -d "$jdk/jmods" ]; then
  ln -s "$jdk/jmods" "$out/jmods"
  exit 0
fi

modules=$(sed -n 's/^MODULES="\(.*\)"$/\1/p' "$jdk/release")
if [ -z "$modules" ]; then
  echo "no MODULES line in $jdk/release" >&2
  exit 1
fi
mkdir -p "$out/src/wal.fray.jdk" "$out/classes"
{
  echo "module wal.fray.jdk {"
  for module in $modules; do
    case $module in
      jdk.jlink | jdk.jpackage) ;;
      *) echo "  requires $module;" ;;
    esac
  done
  echo "}"
} >"$out/src/wal.fray.jdk/module-info.java"
# -nowarn: some of these modules are incubating or deprecated for removal; nothing here uses them.
if ! log=$("$jdk/bin/javac" -nowarn -d "$out/classes" "$out/src/wal.fray.jdk/module-info.java" 2>&1); then
  echo "$log" >&2
  exit 1
fi
mkdir -p "$out/jmods.tmp"
"$jdk/bin/jar" --create --file "$out/jmods.tmp/wal.fray.jdk.jar" -C "$out/classes" .
mv "$out/jmods.tmp" "$out/jmods"
