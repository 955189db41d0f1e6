# shellcheck shell=bash
# The JVM options a PQL server starts with so that score and forecast reads stay fast while an
# ingest flood keeps every core busy (issue #13; figures in docs/BENCHMARKS.md, "Overload"):
#
#   -XX:+UseShenandoahGC       concurrent collection: pauses under 1 ms. With G1 the ingested
#                              events in flight survive young collections and each pause copies
#                              them (82-363 ms measured), stopping the reads too. ZGC when the
#                              JVM has no Shenandoah (some vendors' builds leave it out).
#   -XX:ThreadPriorityPolicy=1 hands Java thread priorities to Linux as nice values: ingest's
#                              calls, the store's writer threads and the projection run at the
#                              lowest (nice 4), the gateway's and scoring's read threads at the
#                              highest (nice -5; raising needs root or CAP_SYS_NICE, so as
#                              another user only the lowering applies and the JVM warns so).
#
# A collector or priority policy given in the caller's options wins: none of ours is added then.
#   pql_server_jvm_options <java command> <the caller's options>
pql_server_jvm_options() {
  local java_command=$1 given=${2:-}
  local options=()
  if [[ ! "$given" =~ -XX:\+Use[A-Za-z0-9]+GC ]]; then
    if "$java_command" -XX:+UseShenandoahGC -version >/dev/null 2>&1; then
      options+=(-XX:+UseShenandoahGC)
    else
      options+=(-XX:+UseZGC)
    fi
  fi
  [[ "$given" == *ThreadPriorityPolicy* ]] || options+=(-XX:ThreadPriorityPolicy=1)
  echo "${options[*]}"
}
