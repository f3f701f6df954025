#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Sum up an experiment: summary.json (one object per round, figures taken
# from each round's bench.json, repairs, candidates and cost from the
# history; the totals), summary.txt (the tables, also printed) and
# metric.svg (the metric over rounds: each candidate's median with its 95 %
# confidence interval, the best policy so far, and the repairs).
#
# Usage: summary.sh OUT_DIR METRIC
set -eu
out=${1:?usage: summary.sh OUT_DIR METRIC}
metric=${2:?usage: summary.sh OUT_DIR METRIC}

# One JSON object per round, from the round's own files.
for rd in "$out"/round-*; do
    [ -d "$rd" ] || continue
    round=${rd##*-}
    round=$(echo "$round" | sed 's/^0*//')
    bench=null
    [ -f "$rd/bench.json" ] && bench=$rd/bench.json
    screen=null
    [ -f "$rd/screen.json" ] && screen=$(jq -c . "$rd/screen.json")
    jq -cn --argjson round "$round" --arg name "${rd##*/}" --rawfile req "$rd/requirement.txt" \
        --slurpfile hist "$out/history.jsonl" \
        --argjson bench "$( [ "$bench" = null ] && echo null || jq -c . "$bench")" \
        --argjson screen "$screen" \
        '($hist | map(select(.round == $round)) | .[0]) as $h
         | ($bench // {}) as $b
         | ($b.results // [] | map(select(.subject == $name)) | .[0]) as $cand
         | ($b.results // [] | map(select(.subject | test("^best(:|$)"))) | .[0]) as $best
         | ($b.comparisons // [] | map(select(.subject == $name and (.reference | test("^best(:|$)")))) | .[0]) as $cmp
         | {round: $round, requirement: ($req | rtrimstr("\n")), outcome: $h.outcome,
            repairs: $h.repairs, build_repairs: ($h.build_repairs // $h.repairs),
            runtime_repairs: ($h.runtime_repairs // 0),
            candidates: (if $h.candidates == null then null else
                $h.candidates | map(. as $c | . + (if $screen == null then {} else
                    {screen_median: ($screen.results | map(select(.subject == ($name + "-c" + ($c.candidate | tostring))))
                                     | .[0].median)} end)) end),
            chosen: $h.chosen, cost: $h.cost,
            verdict: $cmp.verdict, p_value: $cmp.p_value,
            ratio: $cmp.ratio, median: $cand.median, median_ci: $cand.median_ci,
            best_median: $best.median, unit: $b.metric.unit}'
done | jq -s --arg metric "$metric" '
    def sum(f): map(f // 0) | add // 0;
    {schema: "scxkit.experiment/1", metric: $metric,
     total: {rounds: length, kept: map(select(.outcome == "kept")) | length,
             build_repairs: sum(.build_repairs), runtime_repairs: sum(.runtime_repairs),
             candidates: sum(.candidates // [] | length),
             cost: {requests: sum(.cost.requests), input_tokens: sum(.cost.input_tokens),
                    output_tokens: sum(.cost.output_tokens), model_s: sum(.cost.model_s),
                    cost_usd: (if length > 0 and all(.cost.cost_usd != null) then sum(.cost.cost_usd) else null end),
                    wall_s: sum(.cost.wall_s), loop_s: sum(.cost.loop_s)}},
     rounds: .}' > "$out/summary.json"

# The table.
{
    printf "Experiment: %s, median of each round's candidate and of the best policy before it;\n" "$metric"
    printf "verdict: scx-bench's comparison of the two (better, worse, ~ not significant)\n\n"
    jq -r '.rounds[] | [.round, .outcome, (.median // "-"), (.best_median // "-"), (.unit // ""),
             (.verdict // "-"), .requirement, "\(.build_repairs // 0)+\(.runtime_repairs // 0)",
             (if .candidates == null then "1" elif .chosen == null then "\(.candidates | length)"
              else "\(.chosen)/\(.candidates | length)" end)] | @tsv' "$out/summary.json" |
    awk -F '\t' '
        # A figure in its unit, scaled for reading: ns -> us/ms/s.
        function show(v, u) {
            if (v == "-") return "-"
            if (u == "ns") { if (v >= 1e9) return sprintf("%.4g s", v / 1e9); if (v >= 1e6) return sprintf("%.4g ms", v / 1e6)
                             if (v >= 1e3) return sprintf("%.4g us", v / 1e3); return sprintf("%.4g ns", v) }
            if (u == "s") { if (v < 1e-3) return sprintf("%.4g us", v * 1e6); if (v < 1) return sprintf("%.4g ms", v * 1e3); return sprintf("%.4g s", v) }
            return sprintf("%.6g%s", v, u == "" ? "" : " " u)
        }
        BEGIN { printf "%-5s  %-22s  %-12s  %-12s  %-7s  %-7s  %-5s  %s\n", "round", "outcome", "candidate", "best so far", "verdict", "repairs", "cand", "requirement" }
        { printf "%-5s  %-22s  %-12s  %-12s  %-7s  %-7s  %-5s  %s\n", $1, $2, show($3, $5), show($4, $5), $6, $8, $9, $7 }'
    printf '\nrepairs: build+runtime, all candidates; cand: the candidate benchmarked / candidates\n'
    printf '\nCost: the model (every candidate and repair) and the loop without it\n\n'
    jq -r '(.rounds[] | [(.round | tostring), .cost]), ["total", .total.cost] | select(.[1] != null)
           | [.[0], .[1].requests, .[1].input_tokens, .[1].output_tokens, .[1].model_s,
              (.[1].cost_usd // "-"), .[1].wall_s, .[1].loop_s] | @tsv' "$out/summary.json" |
    awk -F '\t' '
        BEGIN { printf "%-5s  %8s  %10s  %10s  %9s  %9s  %9s  %9s\n", "round", "requests", "tokens in", "tokens out", "model", "cost", "wall", "loop" }
        { printf "%-5s  %8s  %10s  %10s  %8.1fs  %9s  %8.1fs  %8.1fs\n", $1, $2, $3, $4, $5,
                 ($6 == "-" ? "unknown" : sprintf("$%.4f", $6)), $7, $8 }'
    best=base
    [ -f "$out/best/round" ] && best="round $(cat "$out/best/round")"
    printf '\nbest policy: %s (%s)\n' "$out/best/best.cpp" "$best"
} > "$out/summary.txt"
cat "$out/summary.txt"

# The plot: one column per round; the candidate's median and CI (green when
# kept, grey otherwise), the best policy's median before the round (blue).
# Values are shown in a readable unit (ns -> ms, ...).
unit=$(jq -r '[.rounds[].unit | select(. != null)][0] // ""' "$out/summary.json")
jq -r '.rounds[] | [.round, (.median // "nan"), (.median_ci.low // "nan"), (.median_ci.high // "nan"),
                    (.best_median // "nan"), .outcome, (.build_repairs // 0), (.runtime_repairs // 0)] | @tsv' "$out/summary.json" |
awk -F '\t' -v metric="$metric" -v unit="$unit" '
function x(i) { return 90 + (i - 0.5) * (540 / n) }
function y(v) { return 40 + (1 - (v - lo) / (hi - lo)) * 260 }
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); return s }
function conv(v) { return v == "nan" ? v : v / scale }
{ n++; r[n] = $1; m[n] = $2; l[n] = $3; h[n] = $4; b[n] = $5; o[n] = $6; br[n] = $7; rr[n] = $8
  for (k = 2; k <= 5; k++) if ($k != "nan") { v = $k + 0; if (!seen || v > big) big = v; seen = 1 } }
END {
  scale = 1; shown = unit
  if (unit == "ns") { if (big >= 1e9) { scale = 1e9; shown = "s" } else if (big >= 1e6) { scale = 1e6; shown = "ms" } else if (big >= 1e3) { scale = 1e3; shown = "us" } }
  for (i = 1; i <= n; i++) { m[i] = conv(m[i]); l[i] = conv(l[i]); h[i] = conv(h[i]); b[i] = conv(b[i])
    split(m[i] " " l[i] " " h[i] " " b[i], vs, " ")
    for (k = 1; k <= 4; k++) if (vs[k] != "nan") { v = vs[k] + 0; if (!have || v < lo) lo = v; if (!have || v > hi) hi = v; have = 1 } }
  print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  print "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"660\" height=\"380\" viewBox=\"0 0 660 380\" font-family=\"sans-serif\" font-size=\"12\">"
  print "<rect width=\"660\" height=\"380\" fill=\"white\"/>"
  printf "<text x=\"360\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">%s over rounds (median, 95%% CI)</text>\n", esc(metric)
  if (!have) { print "<text x=\"330\" y=\"180\" text-anchor=\"middle\">no round was benchmarked</text></svg>"; exit }
  if (hi == lo) { d = hi == 0 ? 1 : (hi < 0 ? -hi : hi) * 0.01; hi += d; lo -= d }
  pad = (hi - lo) * 0.08; hi += pad; lo -= pad
  print "<line x1=\"90\" y1=\"300\" x2=\"630\" y2=\"300\" stroke=\"black\"/><line x1=\"90\" y1=\"40\" x2=\"90\" y2=\"300\" stroke=\"black\"/>"
  if (shown != "") printf "<text x=\"20\" y=\"170\" transform=\"rotate(-90 20 170)\" text-anchor=\"middle\">%s</text>\n", esc(shown)
  for (t = 0; t <= 4; t++) { v = lo + (hi - lo) * t / 4
    printf "<text x=\"84\" y=\"%.1f\" text-anchor=\"end\">%.4g</text><line x1=\"90\" y1=\"%.1f\" x2=\"630\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", y(v) + 4, v, y(v), y(v) }
  w = 540 / n / 3
  for (i = 1; i <= n; i++) {
    printf "<text x=\"%.1f\" y=\"318\" text-anchor=\"middle\">%s</text>\n", x(i), r[i]
    # Repairs under the round: build (b, red) and runtime (r, orange).
    if (br[i] > 0) printf "<text x=\"%.1f\" y=\"334\" text-anchor=\"middle\" fill=\"#c22\" font-size=\"11\"><title>%d build repair(s)</title>b%d</text>\n", x(i) - 12, br[i], br[i]
    if (rr[i] > 0) printf "<text x=\"%.1f\" y=\"334\" text-anchor=\"middle\" fill=\"#e80\" font-size=\"11\"><title>%d runtime repair(s)</title>r%d</text>\n", x(i) + 12, rr[i], rr[i]
    if (b[i] != "nan") printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#36c\" stroke-width=\"2\"><title>best so far: %.6g %s</title></line>\n", x(i) - w, y(b[i]), x(i) + w, y(b[i]), b[i], esc(shown)
    if (m[i] == "nan") continue
    col = o[i] == "kept" ? "#2a2" : "#999"
    if (l[i] != "nan" && h[i] != "nan") printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n", x(i), y(l[i]), x(i), y(h[i]), col
    printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>round %s: %.6g %s (%s)</title></circle>\n", x(i), y(m[i]), col, r[i], m[i], esc(shown), o[i]
  }
  print "<text x=\"360\" y=\"354\" text-anchor=\"middle\">round (green: kept, grey: reverted; blue: best policy before the round)</text>"
  print "<text x=\"360\" y=\"370\" text-anchor=\"middle\" font-size=\"11\">under a round: <tspan fill=\"#c22\">bN</tspan> build repairs, <tspan fill=\"#e80\">rN</tspan> runtime repairs</text>"
  print "</svg>"
}' > "$out/metric.svg"
