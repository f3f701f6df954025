# The prompt for a requirement, byte for byte. After an intended change
# (policy.hpp, the system text, the layout), regenerate with
#   SCX_UPDATE_GOLDEN=1 meson test -C build prompt_golden
# and review the diff.
. "$(dirname "$0")/lib.sh"
G="$SRC/tests/cli/golden"
cp "$G/base.cpp" base.cpp

"$SCX_PROMPT" --base base.cpp "prefer tasks with short CPU bursts" > prompt.json
"$SCX_PROMPT" --base base.cpp --text "prefer tasks with short CPU bursts" > prompt.txt
if [ "${SCX_UPDATE_GOLDEN:-}" = 1 ]; then
    cp prompt.json "$G/prompt.json"
    cp prompt.txt "$G/prompt.txt"
    echo "golden files updated"
fi
diff -u "$G/prompt.json" prompt.json || fail "prompt differs from the golden file"
diff -u "$G/prompt.txt" prompt.txt || fail "text prompt differs from the golden file"

# The API section is the header's rendering: every declaration is there.
for decl in 'virtual std::optional<Task> dequeue() = 0;' 'struct Dispatch {' 'inline constexpr std::uint64_t ENQ_WAKEUP' \
            '#define SCX_POLICY(Class, name)'; do
    grep -qF -- "$decl" prompt.txt || fail "API section lacks '$decl'"
done
grep -q 'struct PolicyInfo' prompt.txt && fail "ABI plumbing in the prompt"
grep -q '#ifndef SCX_POLICY_HPP' prompt.txt && fail "include guard in the prompt"
[ "$(json_get prompt.json 'd["metadata"]["api"]["sha256"]')" = "$(sha256sum "$SRC/libscx/include/scx/policy.hpp" | cut -d' ' -f1)" ] ||
    fail "API section not generated from this policy.hpp"
