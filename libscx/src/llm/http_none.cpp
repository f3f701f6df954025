// SPDX-License-Identifier: MIT
// Without the `llm` feature there is no HTTP transport; replay still works.
#include "llm/http.hpp"

namespace scx::llm {

Result<std::unique_ptr<HttpTransport>> make_http_transport()
{
    return Error(Exit::unavailable, "this scxkit was built without the llm feature (libcurl): only the replay "
                                    "provider is available");
}

} // namespace scx::llm
