// SPDX-License-Identifier: MIT
// The VM's console judged: trouble lines, and QEMU's multi-threaded TCG
// fault told apart from the kernel's own.
#include "vm/qemu.hpp"

#include <string>

#include "test.hpp"

namespace {

// From a CI run: the guest died while sched_ext was being enabled.
const std::string INT3_OOPS = "SCX-VM: BOOTED 7.3.4+deb13-amd64 cpus=2\n"
                              "[   57.061561] Oops: int3: 0000 [#1] SMP NOPTI\n"
                              "[   57.067151] Sched_ext: scxkit (enabling+all)\n"
                              "[   57.067226] RIP: 0010:sched_tick+0xbc/0x250\n"
                              "[   57.098204] Kernel panic - not syncing: Fatal exception in interrupt\n";
const std::string NULL_DEREF = "[   12.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
                               "[   12.000100] Oops: 0000 [#1] SMP NOPTI\n";

} // namespace

static void console_trouble__names_the_first_bad_line(void **)
{
    assert_true(scx::vm::console_trouble("SCX-VM: BOOTED 7.3.4 cpus=2\nhello\n").empty());
    assert_str_equal(scx::vm::console_trouble(INT3_OOPS), "[   57.061561] Oops: int3: 0000 [#1] SMP NOPTI");
    assert_false(scx::vm::console_trouble(NULL_DEREF).empty());
}

static void tcg_patch_fault__int3_oops_under_multithreaded_tcg_only(void **)
{
    assert_true(scx::vm::tcg_patch_fault("tcg", INT3_OOPS));
    // Not under single-threaded TCG or KVM: there it would be the kernel's.
    assert_false(scx::vm::tcg_patch_fault("tcg-single", INT3_OOPS));
    assert_false(scx::vm::tcg_patch_fault("kvm", INT3_OOPS));
    // Another oops is never QEMU's fault.
    assert_false(scx::vm::tcg_patch_fault("tcg", NULL_DEREF));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(console_trouble__names_the_first_bad_line),
        cmocka_unit_test(tcg_patch_fault__int3_oops_under_multithreaded_tcg_only),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
