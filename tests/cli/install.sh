# `meson install` puts every piece where it belongs, and the installed
# scx-build and libscx.pc build a policy out of tree.
. "$(dirname "$0")/lib.sh"

meson install -C "$SCX_BUILD_ROOT" --no-rebuild --destdir "$T/root" >install.log 2>&1 ||
    { cat install.log; fail "meson install failed"; }
prefix=$(meson introspect "$SCX_BUILD_ROOT" --buildoptions |
         python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
R="$T/root$prefix"
libdir=$(find "$R" -name 'libscx.so*' -printf '%h\n' | head -n1)
[ -n "$libdir" ] || fail "libscx.so not installed"

for f in bin/scx-build bin/scx-run bin/scx-bench include/scx/policy.hpp include/scx/result.hpp include/scx/loader.hpp include/scx/test_backend.hpp \
         share/scxkit/policies/fifo.cpp; do
    [ -e "$R/$f" ] || fail "$f not installed"
done
[ -f "$libdir/pkgconfig/libscx.pc" ] || fail "libscx.pc not installed"
# The installed headers are the contract, and only it (libscx(3)).
(cd "$R/include/scx" && find . -type f | sort) > headers.got
printf './loader.hpp\n./policy.hpp\n./result.hpp\n./run.hpp\n./test_backend.hpp\n' > headers.want
diff -u headers.want headers.got || fail "the installed headers are not exactly the public ones"
# Every JSON Schema, and nothing else, in share/scxkit/schemas.
(cd "$SRC/libscx/schemas" && ls) > schemas.want
(cd "$R/share/scxkit/schemas" && ls) > schemas.got || fail "share/scxkit/schemas not installed"
diff -u schemas.want schemas.got || fail "the installed schemas differ from libscx/schemas (libscx/meson.build lists them)"
ls "$libdir"/scxkit/policies/fifo.so >/dev/null || fail "prebuilt fifo.so not installed"
if [ -e "$SCX_BUILD_ROOT/man/scx-build.1" ]; then # built with -Dman
    find "$T/root" -name 'scx-build.1*' | grep . >/dev/null || fail "man page not installed"
fi
find "$T/root" -path '*bash-completion*' -name scx-build | grep . >/dev/null || fail "bash completion not installed"
find "$T/root" -name '_scx-build' | grep . >/dev/null || fail "zsh completion not installed"
find "$T/root" -name 'scx-build.fish' | grep . >/dev/null || fail "fish completion not installed"

# The installed tool uses the installed header (here under DESTDIR, hence
# SCX_INCLUDE_DIR) and the installed library.
export LD_LIBRARY_PATH="$libdir"
SCX_INCLUDE_DIR="$R/include" expect_exit 0 "$R/bin/scx-build" --json "$R/share/scxkit/policies/fifo.cpp" -o inst.so
[ "$(json_get out 'd["ok"]')" = "True" ] || fail "installed scx-build failed"
expect_exit 0 "$R/bin/scx-run" --check --json inst.so

# Out of tree, with only pkg-config.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cxx=$(pkg-config --define-variable=prefix="$R" --variable=policy_cxx libscx)
flags=$(pkg-config --define-variable=prefix="$R" --variable=policy_cxxflags libscx)
echo "$flags" | grep -- "-I$R/include" >/dev/null || fail "policy_cxxflags lacks the include dir: $flags"
# shellcheck disable=SC2086
$cxx $flags -o oot.so "$FIFO_CPP" || fail "out-of-tree build with pkg-config failed"
expect_exit 0 "$R/bin/scx-run" --check --json oot.so
[ "$(pkg-config --variable=policy_abi libscx)" = "1" ] || fail "policy_abi"

# A program of one's own against the installed tree only: the run seam on
# the simulator, running the policy just built out of tree.
cat > seam.cpp <<'EOF'
#include <scx/run.hpp>
#include <cstdio>
int main(int argc, char **argv)
{
    scx::RunRequest req;
    req.policy_path = argv[1];
    req.workload = "cpu:tasks=2,duration=50ms";
    auto backend = scx::make_backend(scx::BackendKind::sim, {"--cpus=2"});
    if (!backend)
        return static_cast<int>(backend.error().exit);
    auto r = (*backend)->run(req);
    if (!r)
        return static_cast<int>(r.error().exit);
    std::fputs(scx::report_json(*r).c_str(), stdout);
    return scx::exit_status(r->exit.kind);
}
EOF
# shellcheck disable=SC2046
c++ -std=c++20 seam.cpp $(pkg-config --define-variable=prefix="$R" --cflags --libs libscx) -o seam ||
    fail "a program against the installed headers and library does not build"
./seam "$PWD/oot.so" > seam.json || fail "the installed run seam failed ($?)"
[ "$(json_get seam.json 'd["exit"]["kind"]')" = done ] || fail "the run did not complete"
[ "$(json_get seam.json 'd["policy"]')" = fifo ] || fail "the run did not report the policy"
[ -f "$(pkg-config --define-variable=prefix="$R" --variable=schemadir libscx)/scxkit.run-1.schema.json" ] ||
    fail "pkg-config's schemadir does not hold the schemas"
