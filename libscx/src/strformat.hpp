// SPDX-License-Identifier: MIT
// Kept for the library's sources that include it by this name.
#pragma once

#include <scx/strformat.hpp>
