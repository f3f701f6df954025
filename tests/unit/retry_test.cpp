// SPDX-License-Identifier: MIT
#include "llm/retry.hpp"

#include "test.hpp"

using namespace scx::llm;

static void backoff__doubles_with_jitter_and_cap(void **)
{
    RetryPolicy p;
    p.base_delay_s = 1;
    p.max_delay_s = 30;
    assert_true(backoff_delay(p, 0, 0.0) == 0.5);
    assert_true(backoff_delay(p, 0, 1.0) == 1.0);
    assert_true(backoff_delay(p, 1, 0.0) == 1.0);
    assert_true(backoff_delay(p, 3, 0.5) == 6.0);
    assert_true(backoff_delay(p, 10, 1.0) == 30.0);
    assert_true(backoff_delay(p, 1000, 0.0) == 15.0);
}

static void retry_after__ms_seconds_and_date(void **)
{
    assert_true(retry_after_seconds({{"retry-after-ms", "600"}, {"retry-after", "1"}}, 0) == 0.6);
    assert_true(retry_after_seconds({{"Retry-After", "2"}}, 0) == 2.0);
    // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480
    assert_true(retry_after_seconds({{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}, 1445412470.0) == 10.0);
    assert_true(retry_after_seconds({{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}, 1445412490.0) == 0.0);
    assert_true(retry_after_seconds({{"retry-after", "soon"}}, 0) < 0);
    assert_true(retry_after_seconds({}, 0) < 0);
}

static void retryable__statuses(void **)
{
    for (long s : {408L, 409L, 429L, 500L, 502L, 503L, 504L, 529L})
        assert_true(retryable_status(s));
    for (long s : {200L, 400L, 401L, 403L, 404L, 413L, 422L})
        assert_false(retryable_status(s));
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backoff__doubles_with_jitter_and_cap),
        cmocka_unit_test(retry_after__ms_seconds_and_date),
        cmocka_unit_test(retryable__statuses),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
