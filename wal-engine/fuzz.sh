#!/usr/bin/env bash
# Fuzzes the engine's readers of on-disk bytes with Jazzer: see FUZZING.md beside this script.
#
#   wal-engine/fuzz.sh                      every target in turn, each for its @FuzzTest maxDuration
#   wal-engine/fuzz.sh damagedLog           one target
#
# Stops at the first finding, which Jazzer stores as crash-<sha1> in the target's inputs directory
# (src/test/resources/dev/wal/engine/RecoveryFuzzTestInputs/<target>/), where the default build
# replays it. After a clean run, new corpus entries are copied there too, so they are replayed.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(recordDecoder arbitrarySegments damagedLog metaFile)
fi
inputs=wal-engine/src/test/resources/dev/wal/engine/RecoveryFuzzTestInputs
corpus=wal-engine/.cifuzz-corpus/dev.wal.engine.RecoveryFuzzTest
for target in "${targets[@]}"; do
  echo "== fuzzing RecoveryFuzzTest#$target"
  # wal.fuzz.inputSeconds bounds one input (a hang is a finding; JUnit's timeout cannot: in
  # jazzer-junit 0.24.0 it also times the whole run). The heap and direct-memory limits make an
  # allocation that a length field inflated fail as OutOfMemoryError, a finding.
  log="wal-engine/target/fuzz-$target.log"
  mkdir -p wal-engine/target
  set +e
  JAZZER_FUZZ=1 mvn -B test -pl wal-engine -am \
    -Dtest="RecoveryFuzzTest#$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dwal.fuzz.inputSeconds=20 -Djazzer.hooks=true \
    '-DargLine=-Xmx768m -XX:MaxDirectMemorySize=256m' >"$log" 2>&1
  status=$?
  set -e
  grep -E 'cov:' "$log" | tail -1 || true
  if [ $status -ne 0 ]; then
    grep -E 'FuzzTestFinding|Caused by|crash-' "$log" | head -5 || true
    echo "== $target failed (log: $log); a finding is stored in $inputs/$target:"
    echo "   fix it and keep the file there as a regression input"
    exit $status
  fi
  mkdir -p "$inputs/$target"
  if [ -d "$corpus/$target" ]; then
    cp -n "$corpus/$target"/* "$inputs/$target"/ 2>/dev/null || true
  fi
  echo "== $target: $(ls "$inputs/$target" | wc -l) inputs in $inputs/$target"
done
