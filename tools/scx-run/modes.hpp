// SPDX-License-Identifier: MIT
// The modes of scx-run, one file each. main() picks the mode from argv and
// hands over the whole command line; each mode parses its own options.
// --help and --version are handled by main() before that.
#pragma once

// --check: load the policy and drive it on the in-process test backend.
int run_check(int argc, char **argv);
extern const char *const CHECK_USAGE; // synopsis line(s)
extern const char *const CHECK_HELP;  // option block for --help

// --sim: run the policy on the deterministic simulator (sim_mode.cpp).
int run_sim(int argc, char **argv);
extern const char *const SIM_USAGE;
extern const char *const SIM_HELP;

// The default: run the policy on the kernel (root, sched_ext).
int run_kernel(int argc, char **argv);
extern const char *const KERNEL_USAGE;
extern const char *const KERNEL_HELP;
