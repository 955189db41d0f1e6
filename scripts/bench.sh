#!/usr/bin/env bash
# Runs every benchmark of PQL Suite in one go and ends with one line per target of issue #18:
#   RATIO <name> <value>x (target <t>x), CPU_US_PER_EVENT <name> <value>, P99_MS <name> <value> (target < <t>) ...
#
#   scripts/bench.sh [--quick] [--no-build]
#
# Builds once (Maven: test-compile plus each module's classpath into
# <module>/target/bench-classpath.txt; nothing is installed into ~/.m2; skipped when no pom.xml
# and no file under a src/ changed since the last build it made), then runs each benchmark
# main with `java -cp` on its module's build: the store's AppendBenchmark twice (batches of 50
# accounts x 10 events, and the worst case of one event per account; its plain PostgreSQL batch
# insert is the baseline of the all-in-one ratio), ingest-service's IngestBenchmark, the
# all-in-one's GatewayIngestBenchmark (direct / through the gateway / the all-in-one with scoring
# projecting, then unary IngestEvent paced at 1,000/s), scoring's RescoreBenchmark, forecast's
# ForecastBenchmark and the all-in-one's OverloadBenchmark (score reads under an ingest flood, on the JVM options
# `./pql start` gives the all-in-one: scripts/lib/server-jvm-options.sh).
# Raw output goes to docs/benchmark-runs/bench-<UTC date-time>/<benchmark>.txt (kept: commit it),
# the run's facts to run.txt, the final lines to summary.txt, and docs/BENCHMARKS.md's section
# between <!-- bench.sh:begin --> and <!-- bench.sh:end --> is regenerated from them
# (pql.bench.summary.BenchSummary).
#
# --quick: smaller event counts and fewer rounds (rescore over 1M events, the Axon baseline over
# 200k), under 6 minutes on a 2-core machine; without it the sizes the docs quote (~30-40 min).
# --no-build: reuse the last build even if sources changed (the classpath files must exist).
# Exit code 0 when every benchmark ran, whether or not its targets were met (the lines say so);
# 1 when one crashed (its figures are n/a); 2 on bad arguments or a failed build.
set -uo pipefail
cd "$(dirname "$0")/.."

quick=false
build=true
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --no-build) build=false ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (--quick, --no-build)" >&2; exit 2 ;;
  esac
done

modules=bench,ingest-service,all-in-one,scoring-service,forecast-service
classpath_file=target/bench-classpath.txt
started=$(date -u +%Y-%m-%dT%H%M%SZ)
run_dir=docs/benchmark-runs/bench-$started
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
begin=$SECONDS

# The build is the slow part on a shared machine (protoc regenerates, so every module compiles
# again): it runs only when a source or POM is newer than the last build bench.sh made.
stamp=target/bench-build.stamp
up_to_date() {
  [ -f "$stamp" ] || return 1
  for module in ${modules//,/ }; do
    [ -f "$module/$classpath_file" ] && [ -d "$module/target/classes" ] || return 1
  done
  [ -z "$(find pom.xml ./*/pom.xml ./*/src -newer "$stamp" -type f -print -quit 2>/dev/null)" ]
}
if $build && up_to_date; then
  echo "== build: up to date (no source newer than $stamp)"
elif $build; then
  echo "== build: test-compile and classpaths of $modules"
  mkdir -p target && touch "$stamp.next"
  ./mvnw -B -q -pl "$modules" -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test || { echo "build failed" >&2; exit 2; }
  mv "$stamp.next" "$stamp"
fi
for module in ${modules//,/ }; do
  [ -f "$module/$classpath_file" ] || { echo "no $module/$classpath_file: run without --no-build" >&2; exit 2; }
done
mkdir -p "$run_dir"
build_seconds=$((SECONDS - begin))

# Every benchmark process logs at INFO through this file (a library's DEBUG lines are no figures).
logback="$PWD/bench/src/main/resources/logback.xml"
scratch=target/bench-data
crashed=()
durations=()

classpath() {
  echo "$1/target/test-classes:$1/target/classes:$(cat "$1/$classpath_file")"
}

# run <name> <module> <java options and main class, then its arguments...>
run() {
  local name=$1 module=$2
  shift 2
  local limit=$($quick && echo 900 || echo 5400)
  local t0=$SECONDS
  echo "== $name: $*"
  timeout --signal=KILL "$limit" java -Dlogback.configurationFile="$logback" -cp "$(classpath "$module")" "$@" 2>&1 \
      | tee "$run_dir/$name.txt"
  local rc=${PIPESTATUS[0]}
  durations+=("$name $((SECONDS - t0)) s")
  if [ "$rc" -ne 0 ]; then
    echo "== $name crashed (exit $rc)" | tee -a "$run_dir/$name.txt"
    crashed+=("$name (exit $rc)")
  fi
}

if $quick; then
  append=(--events 200000 --rounds 2 --warm-up-rounds 1 --targets baseline,embedded)
  ingest=(--events 200000 --rounds 1 --targets baseline,batch,stream,unary-paced --unary-seconds 5)
  gateway=(--events 200000 --rounds 2 --targets direct-stream,gateway-stream,suite-stream --unary-seconds 5)
  rescore=(-Dbench.accounts=10000 -Dbench.eventsPerAccount=100 -Dbench.runs=2 -Dbench.baselineEvents=200000
      -Dbench.freshnessEvents=400)
  forecast=(10000 forecast,lines)
  overload=(--seconds 10 --baseline-seconds 5 --flood-in process)
else
  append=(--events 1000000 --in-flight 4 --rounds 5)
  ingest=(--events 500000 --rounds 3)
  gateway=(--events 300000 --rounds 3)
  rescore=(-Xmx2g)
  forecast=(100000 forecast,lines)
  overload=(--seconds 30 --baseline-seconds 15 --flood-in process)
fi

run append bench pql.bench.AppendBenchmark "${append[@]}" --dir "$scratch"
run append-worst-case bench pql.bench.AppendBenchmark "${append[@]}" --events-per-account 1 --dir "$scratch"
run ingest ingest-service pql.ingest.bench.IngestBenchmark "${ingest[@]}" --dir "$scratch"
run gateway-ingest all-in-one pql.allinone.bench.GatewayIngestBenchmark "${gateway[@]}" --dir "$scratch"
run rescore scoring-service "${rescore[@]}" -Dbench.dir="$scratch/rescore" pql.scoring.bench.RescoreBenchmark
run forecast forecast-service pql.forecast.bench.ForecastBenchmark "${forecast[@]}"
# with the JVM options ./pql start gives the all-in-one: they are what keeps reads fast under the flood
source scripts/lib/server-jvm-options.sh
# shellcheck disable=SC2046 # the options are words
run overload all-in-one $(pql_server_jvm_options java "") pql.allinone.bench.OverloadBenchmark "${overload[@]}" --dir "$scratch"

# "a, b, c" (or nothing)
joined() {
  local text
  text=$(printf '%s, ' "$@")
  echo "${text%, }"
}

debug_lines=$(cat "$run_dir"/*.txt | grep -c ' DEBUG ' || true)
commit=$(git rev-parse --short HEAD)
# docs/ is what a run writes (BENCHMARKS.md's section): only changes elsewhere make the figures another code's
[ -z "$(git status --porcelain --untracked-files=no -- . ':(exclude)docs')" ] || commit="$commit (with uncommitted changes)"
{
  echo "META mode $($quick && echo quick || echo full)"
  echo "META commit $commit"
  echo "META started $started"
  echo "META wall_seconds $((SECONDS - begin))"
  echo "META build_seconds $build_seconds"
  echo "META load_start $load_start"
  echo "META load_end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")"
  echo "META cores $(nproc)"
  echo "META durations $(joined "${durations[@]}")"
  echo "META debug_lines $debug_lines"
  echo "META crashed $(joined "${crashed[@]}")"
} > "$run_dir/run.txt"
[ "$debug_lines" -eq 0 ] || echo "warning: $debug_lines DEBUG lines in $run_dir" >&2

echo "== summary ($run_dir, $((SECONDS - begin)) s; docs/BENCHMARKS.md updated)"
java -cp "$(classpath bench)" pql.bench.summary.BenchSummary "$run_dir" --update docs/BENCHMARKS.md \
    | tee "$run_dir/summary.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
[ ${#crashed[@]} -eq 0 ] || { echo "crashed: ${crashed[*]}" >&2; exit 1; }
