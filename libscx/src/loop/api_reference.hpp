// SPDX-License-Identifier: MIT
//
// <scx/api_reference.hpp> - the policy API as the prompt shows it.
//
// Generated at build time from <scx/policy.hpp> (declarations and their
// comments; include guards, includes and the ABI plumbing behind
// SCX_POLICY left out), so the prompt never drifts from the header.

#ifndef SCX_API_REFERENCE_HPP
#define SCX_API_REFERENCE_HPP

#include <string_view>

namespace scx {

// The compact rendering of <scx/policy.hpp>.
std::string_view api_reference();
// SHA-256 (hex) of the header it was generated from.
std::string_view api_reference_source_sha256();

} // namespace scx

#endif // SCX_API_REFERENCE_HPP
