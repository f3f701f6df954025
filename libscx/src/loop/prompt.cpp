// SPDX-License-Identifier: MIT
#include "loop/prompt.hpp"

#include "loop/api_reference.hpp"
#include "base/sha256.hpp"

namespace scx {

namespace {

const char *const SYSTEM_TEXT =
    R"(You are an expert in Linux CPU scheduling writing a scheduling policy for scxkit. scxkit runs a policy, a small C++20 class, as a Linux sched_ext scheduler: BPF carries every scheduling event from the kernel to the policy in user space and its decisions back (as scx_rustland_core does); the same policy also runs on a deterministic simulator.

You are given the complete policy API, <scx/policy.hpp>, the current policy source and a requirement in plain words. Write a new complete policy source that meets the requirement.

Rules:
- Write one complete, self-contained C++20 source file. Include <scx/policy.hpp> and standard headers only; use only the API shown. Never leave anything out ("...", "rest unchanged"): the file is compiled exactly as written.
- Register exactly one policy class with SCX_POLICY(Class, "name"), with a short new name that says what the policy does.
- Every dequeued task must be dispatched eventually, or the kernel ejects the scheduler; keep schedule() fast and never block.
- Declare the numbers a user may want to tune (time slices, boosts, thresholds) as scx::Param members with a sensible default, range, unit and description (see PARAMETERS in the API), not as constants; keep the name of a parameter the current policy declares while its meaning stays the same.
- Explain the idea in comments in the code, briefly.

Answer with the source in a single ```cpp fenced code block, followed by at most three sentences on what changed and why.)";

void section(std::string &body, std::vector<PromptSection> &sections, const std::string &name,
             const std::string &title, const std::string &text)
{
    const size_t before = body.size();
    body += "## " + title + "\n\n" + text;
    if (!text.empty() && text.back() != '\n')
        body += '\n';
    body += '\n';
    sections.push_back({name, body.size() - before});
}

std::string fenced(const std::string &code)
{
    std::string s = "```cpp\n" + code;
    if (!code.empty() && code.back() != '\n')
        s += '\n';
    return s + "```\n";
}

} // namespace

const std::string &default_system_text()
{
    static const std::string text = SYSTEM_TEXT;
    return text;
}

Prompt assemble_prompt(const PromptInputs &in)
{
    Prompt p;
    p.system = in.system.empty() ? default_system_text() : in.system;
    std::string body;
    section(body, p.sections, "api", "API reference: <scx/policy.hpp>", fenced(std::string(api_reference())));
    section(body, p.sections, "base", "Current policy (" + in.base_path + ")", fenced(in.base_source));
    if (!in.requirement.empty())
        section(body, p.sections, "requirement", "Requirement", in.requirement);
    const bool run_fix = !in.fix_exit.empty();
    if (!in.fix_text.empty() && !run_fix)
        section(body, p.sections, "fix", "Build errors in the current policy",
                "scx-build reported (file:line:column, the source line, a caret under the column):\n\n```\n" +
                    in.fix_text + "```\n");
    if (run_fix) {
        std::string t = in.fix_text;
        if (!in.fix_events.empty())
            t += "\nThe last scheduling events before the failure (simulated time, CPU, event, task, details):\n\n```\n" +
                 in.fix_events + "```\n";
        section(body, p.sections, "fix", "Run-time failure of the current policy", t);
    }
    for (const auto &f : in.feedback)
        section(body, p.sections, "feedback", "Measurements of the current policy (" + f.schema + ", " + f.path + ")",
                "```\n" + f.text + "```\n");
    if (!in.history_text.empty())
        section(body, p.sections, "history", "Earlier rounds (what was tried, what it scored)", in.history_text);

    std::string task;
    if (run_fix)
        task = "The current policy builds but failed at run time, as described above. Find the cause in the "
               "source and return the complete corrected source. It must still meet the requirement; keep the "
               "policy's idea and name, and change what the failure shows to be wrong.";
    else if (!in.fix_text.empty())
        task = "The current policy does not build. Fix every error above and return the complete corrected "
               "source. Keep the policy's idea and name; change only what the errors require.";
    else
        task = "Write a new policy, starting from the current one, that meets the requirement.";
    if (!in.feedback.empty())
        task += " Use the measurements: keep what works, change what they show to be weak.";
    if (!in.history_text.empty())
        task += " Do not repeat an idea that earlier rounds show did not help.";
    task += " Answer with the complete source in one ```cpp code block.";
    section(body, p.sections, "task", "Task", task);
    while (!body.empty() && body.back() == '\n')
        body.pop_back();
    body += '\n';
    p.messages.push_back({"user", body});

    auto meta = json::object();
    json::set(meta.get(), "requirement", in.requirement);
    auto base = json::object();
    json::set(base.get(), "path", in.base_path);
    json::set(base.get(), "sha256", sha256_hex(in.base_source));
    json::set(meta.get(), "base", base);
    auto api = json::object();
    json::set(api.get(), "header", std::string_view("scx/policy.hpp"));
    json::set(api.get(), "sha256", api_reference_source_sha256());
    json::set(meta.get(), "api", api);
    if (in.system_path.empty())
        json::set_null(meta.get(), "system");
    else
        json::set(meta.get(), "system", in.system_path);
    if (in.fix_text.empty()) {
        json::set_null(meta.get(), "fix");
    } else {
        auto fix = json::object();
        json::set(fix.get(), "path", in.fix_path);
        json::set(fix.get(), "kind", run_fix ? "run" : "build");
        json::set(fix.get(), "errors", in.fix_errors);
        if (run_fix)
            json::set(fix.get(), "exit", in.fix_exit);
        else
            json::set_null(fix.get(), "exit");
        if (in.fix_events_path.empty())
            json::set_null(fix.get(), "events");
        else
            json::set(fix.get(), "events", in.fix_events_path);
        json::set(meta.get(), "fix", fix);
    }
    auto fb = json::array();
    for (const auto &f : in.feedback) {
        auto o = json::object();
        json::set(o.get(), "path", f.path);
        json::set(o.get(), "schema", f.schema);
        json::append(fb.get(), o);
    }
    json::set(meta.get(), "feedback", fb);
    if (in.history_path.empty()) {
        json::set_null(meta.get(), "history");
    } else {
        auto h = json::object();
        json::set(h.get(), "path", in.history_path);
        json::set(h.get(), "rounds", static_cast<std::uint64_t>(in.history_rounds));
        json::set(meta.get(), "history", h);
    }
    const size_t chars = prompt_chars(p);
    json::set(meta.get(), "chars", static_cast<std::uint64_t>(chars));
    json::set(meta.get(), "estimated_tokens", static_cast<std::uint64_t>(estimate_tokens(chars)));
    p.metadata = meta;
    return p;
}

std::size_t prompt_chars(const Prompt &p)
{
    size_t n = p.system.size();
    for (const auto &m : p.messages)
        n += m.content.size();
    return n;
}

std::size_t estimate_tokens(std::size_t chars) { return (chars + 3) / 4; }

json::Value prompt_to_json(const Prompt &p)
{
    auto o = json::object();
    json::set(o.get(), "schema", json::schema_id("scxkit.prompt", 1));
    json::set(o.get(), "system", p.system);
    auto msgs = json::array();
    for (const auto &m : p.messages) {
        auto mo = json::object();
        json::set(mo.get(), "role", m.role);
        json::set(mo.get(), "content", m.content);
        json::append(msgs.get(), mo);
    }
    json::set(o.get(), "messages", msgs);
    json::set(o.get(), "metadata", p.metadata ? p.metadata : json::object());
    return o;
}

Result<Prompt> prompt_from_json(const json_t *doc, const std::string &source)
{
    if (auto r = json::check_schema(doc, "scxkit.prompt", 1, source); !r)
        return std::move(r).error();
    Prompt p;
    const json_t *sys = json_object_get(doc, "system");
    if (sys && !json_is_string(sys) && !json_is_null(sys))
        return Error(Exit::data, source + ": \"system\" must be a string");
    if (json_is_string(sys))
        p.system = json_string_value(sys);
    const json_t *msgs = json_object_get(doc, "messages");
    if (!json_is_array(msgs) || json_array_size(msgs) == 0)
        return Error(Exit::data, source + ": \"messages\" must be a non-empty array");
    size_t i;
    const json_t *m;
    json_array_foreach(msgs, i, m)
    {
        const char *role = json::get_string(m, "role");
        const char *content = json::get_string(m, "content");
        const std::string where = source + ": messages[" + std::to_string(i) + "]";
        if (!role || !content)
            return Error(Exit::data, where + " needs string members \"role\" and \"content\"");
        if (std::string_view(role) != "user" && std::string_view(role) != "assistant")
            return Error(Exit::data, where + ": role \"" + role + "\" is not \"user\" or \"assistant\"");
        p.messages.push_back({role, content});
    }
    if (p.messages.back().role != "user")
        return Error(Exit::data, source + ": the last message must be the user's");
    const json_t *meta = json_object_get(doc, "metadata");
    p.metadata = json::Value::borrow(json_is_object(meta) ? const_cast<json_t *>(meta) : nullptr);
    if (!p.metadata)
        p.metadata = json::object();
    return p;
}

std::string prompt_to_text(const Prompt &p)
{
    std::string s = p.system;
    for (const auto &m : p.messages) {
        if (!s.empty())
            s += "\n\n";
        if (m.role != "user")
            s += "[" + m.role + "]\n";
        s += m.content;
    }
    if (!s.empty() && s.back() != '\n')
        s += '\n';
    return s;
}

} // namespace scx
