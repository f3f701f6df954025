# SIGINT stops a tune at once: exit status 130, nothing on standard output,
# and the -o document and the plot hold the runs made so far, marked
# incomplete.
. "$(dirname "$0")/lib.sh"
VRUNTIME=$SCX_POLICY_DIR/vruntime.so

# A tune of about 10 s (100 runs of ~0.1 s each; 50 runs of a 20 s workload
# had finished within the 1 s before the signal on a fast machine).
"$SCX_TUNE" --sim interactive:duration=600s --cpus 2 -b 100 -o tune.json --plot tune.svg "$VRUNTIME" >out 2>err &
tune=$!
sleep 1
kill -INT "$tune"
rc=0; wait "$tune" || rc=$?
[ "$rc" = 130 ] || { cat err; fail "exit status $rc, expected 130"; }
expect_in err "interrupted"
[ ! -s out ] || fail "an interrupted tune printed values"
validate tune.json
[ "$(json_get tune.json 'd["complete"]')" = False ] || fail "the document says complete"
[ "$(json_get tune.json 'd["comparison"]')" = None ] || fail "an interrupted tune compared"
grep -q '<svg' tune.svg || fail "no plot"
