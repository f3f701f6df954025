// SPDX-License-Identifier: MIT
// Statistics against known values: textbook Mann-Whitney examples (as
// published with R's wilcox.test), the outlier rule, and bootstrap intervals
// whose expected values come from an independent re-implementation of the
// same generator and resampling (Python, integers only for the generator).
#include "base/stats.hpp"

#include <cmath>
#include <vector>

#include "test.hpp"

using namespace scx::stats;

static const std::vector<double> SEED_LIKE = {5.31, 5.27, 5.40, 5.29, 5.35, 5.33, 5.28, 5.62, 5.30, 5.32};
static const std::vector<double> IMPROVED = {4.91, 4.88, 4.95, 4.90, 4.87, 4.93, 4.89, 4.92, 5.20, 4.94};

static void rng__seed_zero__matches_reference_sequence(void **)
{
    Rng r(0);
    assert_true(r.next() == 11091344671253066420ULL);
    assert_true(r.next() == 13793997310169335082ULL);
    assert_true(r.next() == 1900383378846508768ULL);
}

static void rng_below__seed_seven__matches_reference_and_stays_in_range(void **)
{
    Rng r(7);
    const int want[] = {4, 4, 8, 4, 4, 1, 6, 6, 8, 9};
    for (int w : want)
        assert_int_equal(static_cast<int>(r.below(10)), w);
    Rng q(123);
    for (int i = 0; i < 10000; i++)
        assert_true(q.below(3) < 3);
}

static void median__odd_and_even_counts__middle_value_or_midpoint(void **)
{
    const std::vector<double> odd = {3, 1, 2};
    const std::vector<double> even = {4, 1, 3, 2};
    assert_close(median(odd), 2.0, 0);
    assert_close(median(even), 2.5, 0);
    assert_true(std::isnan(median(std::vector<double>{})));
}

static void descriptive__known_sample__textbook_values(void **)
{
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7.
    const std::vector<double> xs = {2, 4, 4, 4, 5, 5, 7, 9};
    assert_close(mean(xs), 5.0, 1e-12);
    assert_close(stddev(xs), std::sqrt(32.0 / 7.0), 1e-12);
    assert_close(median(xs), 4.5, 0);
    // |x - 4.5| = 2.5 .5 .5 .5 .5 .5 2.5 4.5 -> median 0.5
    assert_close(mad(xs), 0.5, 0);
    assert_close(quantile(xs, 0.25), 4.0, 1e-12);
    assert_close(quantile(xs, 0.75), 5.5, 1e-12);
    assert_close(quantile(xs, 0.0), 2.0, 0);
    assert_close(quantile(xs, 1.0), 9.0, 0);
    assert_true(std::isnan(stddev(std::vector<double>{1.0})));
}

static void summarize__seed_like_sample__all_fields(void **)
{
    const Summary s = summarize(SEED_LIKE);
    assert_int_equal(s.n, 10);
    assert_close(s.min, 5.27, 1e-12);
    assert_close(s.max, 5.62, 1e-12);
    assert_close(s.median, 5.315, 1e-12);
    assert_close(s.mean, 5.347, 1e-12);
    assert_true(s.median_ci.low <= s.median && s.median <= s.median_ci.high);
    assert_true(s.q1 <= s.median && s.median <= s.q3);
}

static void bootstrap_median_ci__fixed_seed__reference_interval(void **)
{
    BootstrapOptions o;
    o.resamples = 2000;
    o.seed = 42;
    const Interval ci = bootstrap_median_ci(SEED_LIKE, o);
    assert_close(ci.low, 5.29, 1e-12);
    assert_close(ci.high, 5.36, 1e-12);
    // Same seed, same interval.
    const Interval again = bootstrap_median_ci(SEED_LIKE, o);
    assert_true(ci.low == again.low && ci.high == again.high);
}

static void bootstrap_median_ci__constant_sample__degenerate_interval(void **)
{
    const std::vector<double> xs(7, 3.25);
    const Interval ci = bootstrap_median_ci(xs);
    assert_close(ci.low, 3.25, 0);
    assert_close(ci.high, 3.25, 0);
}

static void ratio_of_medians__fixed_seed__reference_value_and_interval(void **)
{
    BootstrapOptions o;
    o.resamples = 2000;
    o.seed = 42;
    const Ratio r = ratio_of_medians(IMPROVED, SEED_LIKE, o);
    assert_close(r.value, 0.924741298212606, 1e-12);
    assert_close(r.ci.low, 0.9157283626254437, 1e-12);
    assert_close(r.ci.high, 0.9320113314447593, 1e-12);
}

static void ratio_of_medians__zero_reference__nan(void **)
{
    const std::vector<double> zero = {0, 0, 0};
    assert_true(std::isnan(ratio_of_medians(SEED_LIKE, zero).value));
}

static void ratio_of_medians__few_zero_resamples__dropped_and_counted(void **)
{
    // Two zeros among eleven reference values: about 1 % of the resamples
    // have a zero median (six zeros drawn); they have no ratio and are left
    // out, fewer than the 2.5 % an end of the 95 % interval may leave out.
    const std::vector<double> a = {2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0};
    const std::vector<double> b = {0, 0, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8};
    const Ratio r = ratio_of_medians(a, b);
    assert_int_equal(r.resamples, BootstrapOptions{}.resamples);
    assert_true(r.dropped > 0);
    assert_true(r.dropped * 40 < r.resamples);
    assert_true(r.ci_defined());
    assert_true(r.ci.low <= r.value && r.value <= r.ci.high);
}

static void ratio_of_medians__many_zero_resamples__interval_undefined_not_nan_bounds(void **)
{
    // Four zeros among nine: the median of b is 1, but a resample draws five
    // or more zeros, and so has a zero median, about a third of the time.
    const std::vector<double> a = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    const std::vector<double> b = {0, 0, 0, 0, 1, 1, 1, 1, 1};
    const Ratio r = ratio_of_medians(a, b);
    assert_true(std::isfinite(r.value));
    assert_true(r.dropped > r.resamples / 40);
    assert_false(r.ci_defined());
    const Ratio p = paired_ratio_of_medians(a, b);
    assert_true(p.dropped > 0);
    assert_false(p.ci_defined());
}

static void ratio_of_ratios__value_is_the_ratio_of_the_two_ratios(void **)
{
    const std::vector<double> a = {6, 7, 8, 9, 10}, b = {2, 2, 2, 2, 2};
    const std::vector<double> c = {3, 4, 5}, d = {1, 1, 1};
    const Ratio r = ratio_of_ratios(a, b, c, d);
    assert_close(r.value, (8.0 / 2) / (4.0 / 1), 1e-12);
    assert_true(r.ci_defined());
    assert_true(r.ci.low <= r.value && r.value <= r.ci.high);
    assert_true(r.ci.low < 1 && r.ci.high > 1); // five and three values: both sides scatter
}

static void ratio_of_ratios__same_ratio_on_both_sides__interval_around_one(void **)
{
    // The second side is the first at another scale: the same ratio, 1
    // within the scatter of the runs.
    std::vector<double> c, d;
    for (double x : IMPROVED)
        c.push_back(3 * x);
    for (double x : SEED_LIKE)
        d.push_back(3 * x);
    const Ratio r = ratio_of_ratios(IMPROVED, SEED_LIKE, c, d);
    assert_close(r.value, 1, 1e-12);
    assert_true(r.ci.low < 1 && r.ci.high > 1);
    assert_true(r.ci.low > 0.9 && r.ci.high < 1.1);
}

static void ratio_of_ratios__clear_difference__interval_excludes_one(void **)
{
    // Side one: 8 % better than its reference; side two: twice as bad.
    std::vector<double> d2;
    for (double x : SEED_LIKE)
        d2.push_back(x / 2);
    const Ratio r = ratio_of_ratios(IMPROVED, SEED_LIKE, SEED_LIKE, d2);
    assert_close(r.value, 0.924741298212606 / 2, 1e-12);
    assert_true(r.ci_defined());
    assert_true(r.ci.high < 0.5);
    // The same seed, the same interval.
    const Ratio again = ratio_of_ratios(IMPROVED, SEED_LIKE, SEED_LIKE, d2);
    assert_close(again.ci.low, r.ci.low, 0);
    assert_close(again.ci.high, r.ci.high, 0);
}

static void ratio_of_ratios__zero_median_below__nan(void **)
{
    const std::vector<double> zero = {0, 0, 0};
    assert_true(std::isnan(ratio_of_ratios(SEED_LIKE, zero, SEED_LIKE, SEED_LIKE).value));
    assert_true(std::isnan(ratio_of_ratios(SEED_LIKE, SEED_LIKE, SEED_LIKE, zero).value));
    // The second ratio is 0: the first cannot be divided by it.
    const Ratio r = ratio_of_ratios(SEED_LIKE, SEED_LIKE, zero, SEED_LIKE);
    assert_true(std::isnan(r.value));
    assert_false(r.ci_defined());
    assert_true(std::isnan(ratio_of_ratios({}, SEED_LIKE, SEED_LIKE, SEED_LIKE).value));
}

static void compare__both_medians_zero__no_ratio_no_verdict(void **)
{
    const std::vector<double> zero = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    const Comparison c = compare(zero, zero, Direction::lower_is_better);
    assert_true(std::isnan(c.ratio.value));
    assert_false(c.ratio.ci_defined());
    assert_int_equal(static_cast<int>(c.verdict), static_cast<int>(Verdict::same));
    const Comparison p = compare_paired(zero, zero, Direction::lower_is_better);
    assert_true(std::isnan(p.ratio.value));
    assert_close(p.p_value, 1.0, 0);
    assert_int_equal(static_cast<int>(p.verdict), static_cast<int>(Verdict::same));
}

static void outliers__single_spike__flagged(void **)
{
    // MAD 0.01 around 0.30; 0.50 is 20 MADs away (> 14.826), 0.31 is 1.
    const std::vector<double> xs = {0.30, 0.31, 0.29, 0.50, 0.30};
    const auto idx = outliers(xs);
    assert_int_equal(idx.size(), 1);
    assert_int_equal(idx[0], 3);
}

static void outliers__moderate_spread__none(void **)
{
    // Gaussian-looking data: nothing beyond ten standard deviations.
    const std::vector<double> xs = {1.21, -0.43, 0.88, -1.37, 0.05, 2.02, -0.71, 0.36, -0.12, 1.54};
    assert_int_equal(outliers(xs).size(), 0);
    assert_int_equal(outliers(std::vector<double>{1.0, 1000.0}).size(), 0);
}

static void outliers__zero_mad__any_deviation_flagged(void **)
{
    // Most values equal: MAD is 0, replaced by epsilon, so every value that
    // differs from the median is an outlier.
    const std::vector<double> xs = {2, 2, 2, 2, 2, 2, 9, 2, 8};
    const auto idx = outliers(xs);
    assert_int_equal(idx.size(), 2);
    assert_int_equal(idx[0], 6);
    assert_int_equal(idx[1], 8);
}

static void modified_zscores__known_sample__scaled_by_mad(void **)
{
    const std::vector<double> xs = {1, 2, 3, 4, 100};
    // median 3, deviations 2 1 0 1 97 -> MAD 1
    const auto z = modified_zscores(xs);
    assert_close(z[0], -2.0, 1e-12);
    assert_close(z[4], 97.0, 1e-12);
}

static void mann_whitney__hollander_wolfe_example__exact_p(void **)
{
    // Permeability example from R's wilcox.test documentation:
    // W = 35, two-sided exact p = 0.2544 (one-sided 0.1272).
    const std::vector<double> x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    const std::vector<double> y = {1.15, 0.88, 0.90, 0.74, 1.21};
    const MannWhitney r = mann_whitney(x, y);
    assert_int_equal(static_cast<int>(r.method), static_cast<int>(Method::exact));
    assert_false(r.ties);
    assert_close(r.u, 35.0, 0);
    assert_close(r.p_value, 0.2544122544122544, 1e-12);
    // Swapping the samples mirrors U and keeps p.
    const MannWhitney s = mann_whitney(y, x);
    assert_close(s.u, 15.0, 0);
    assert_close(s.p_value, r.p_value, 1e-12);
}

static void mann_whitney__airquality_with_ties__normal_approximation(void **)
{
    // R: wilcox.test(Ozone ~ Month, airquality, subset = Month %in% c(5, 8))
    // -> W = 127.5, p-value = 0.0001208 (normal, tie and continuity corrected).
    const std::vector<double> may = {41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18,
                                     14, 34, 6,  30, 11, 1,  11, 4, 32, 23, 45, 115, 37};
    const std::vector<double> aug = {39, 9,  16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22,
                                     59, 23, 31, 44, 21, 9,  45,  168, 73, 76, 118, 84, 85};
    const MannWhitney r = mann_whitney(may, aug);
    assert_int_equal(static_cast<int>(r.method), static_cast<int>(Method::normal));
    assert_true(r.ties);
    assert_close(r.u, 127.5, 0);
    assert_close(r.z, -3.8444810272800702, 1e-9);
    assert_close(r.p_value, 0.00012080783076877465, 1e-12);
}

static void mann_whitney__complete_separation__smallest_exact_p(void **)
{
    const std::vector<double> a = {1, 2, 3};
    const std::vector<double> b = {4, 5, 6};
    const MannWhitney r = mann_whitney(a, b);
    assert_close(r.u, 0, 0);
    assert_close(r.p_value, 0.1, 1e-12); // 2 / C(6, 3)
    assert_close(min_p_value(3, 3), 0.1, 1e-12);
    assert_close(min_p_value(10, 10), 2.0 / 184756, 1e-15);
}

static void mann_whitney__identical_samples__p_one(void **)
{
    const std::vector<double> a = {2, 2, 2};
    const MannWhitney r = mann_whitney(a, a);
    assert_close(r.p_value, 1.0, 0);
    assert_close(r.u, 4.5, 0);
}

static void mann_whitney__large_samples_without_ties__normal(void **)
{
    std::vector<double> a, b;
    for (int i = 0; i < 60; i++) {
        a.push_back(i * 2.0);
        b.push_back(i * 2.0 + 1);
    }
    const MannWhitney r = mann_whitney(a, b);
    assert_int_equal(static_cast<int>(r.method), static_cast<int>(Method::normal));
    // U = sum over a_i = 2i of the b's below it (i of them) = 0 + ... + 59.
    assert_close(r.u, 1770, 0);
    assert_true(r.p_value > 0.8);
}

static void wilcoxon_signed_rank__hollander_wolfe_depression__exact_p(void **)
{
    // Hamilton depression scale, first (x) and second (y) visit, from R's
    // wilcox.test documentation (Hollander & Wolfe, p. 29):
    // V = 40, two-sided exact p = 0.0390625 (20 / 512).
    const std::vector<double> x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
    const std::vector<double> y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
    const SignedRank r = wilcoxon_signed_rank(x, y);
    assert_int_equal(static_cast<int>(r.method), static_cast<int>(Method::exact));
    assert_false(r.ties);
    assert_int_equal(r.pairs, 9);
    assert_int_equal(r.zeros, 0);
    assert_close(r.v, 40.0, 0);
    assert_close(r.p_value, 0.0390625, 1e-15);
    // Swapping the samples: V becomes n(n+1)/2 - V, p stays.
    const SignedRank s = wilcoxon_signed_rank(y, x);
    assert_close(s.v, 5.0, 0);
    assert_close(s.p_value, r.p_value, 1e-15);
}

static void wilcoxon_signed_rank__zeros_and_ties__normal_approximation(void **)
{
    // R: wilcox.test(a, b, paired = TRUE) -> V = 52, p-value = 0.01294256
    // (two zero differences dropped, ties: normal, corrected).
    const std::vector<double> a = {10, 12, 11, 15, 14, 12, 13, 18, 9, 11, 16, 12};
    const std::vector<double> b = {9, 12, 10, 13, 15, 10, 11, 15, 9, 10, 12, 11};
    const SignedRank r = wilcoxon_signed_rank(a, b);
    assert_int_equal(static_cast<int>(r.method), static_cast<int>(Method::normal));
    assert_true(r.ties);
    assert_int_equal(r.zeros, 2);
    assert_close(r.v, 52.0, 0);
    assert_close(r.p_value, 0.012942564820256021, 1e-12);
}

static void wilcoxon_signed_rank__all_differences_zero__p_one(void **)
{
    const std::vector<double> a = {3, 4, 5};
    const SignedRank r = wilcoxon_signed_rank(a, a);
    assert_int_equal(r.zeros, 3);
    assert_close(r.v, 0, 0);
    assert_close(r.p_value, 1.0, 0);
}

static void wilcoxon_signed_rank__one_sided_pairs__smallest_exact_p(void **)
{
    const std::vector<double> a = {1, 2, 3, 4, 5};
    const std::vector<double> b = {2, 4, 6, 8, 10};
    const SignedRank r = wilcoxon_signed_rank(a, b);
    assert_close(r.v, 0, 0);
    assert_close(r.p_value, 2.0 / 32, 1e-15);
    assert_close(min_p_value_paired(5), 2.0 / 32, 1e-15);
    assert_close(min_p_value_paired(10), 2.0 / 1024, 1e-15);
}

static void compare_paired__shared_seed_noise__better_where_independent_cannot_tell(void **)
{
    // Run i of both subjects met the same scenario: the scenario's effect
    // (large) is shared, the subject's (1 % lower) is consistent.
    const std::vector<double> ref = {10, 14, 9, 20, 12, 16, 11, 18, 13, 15};
    std::vector<double> sub;
    for (double v : ref)
        sub.push_back(v * 0.99);
    const Comparison paired = compare_paired(sub, ref, Direction::lower_is_better);
    assert_int_equal(static_cast<int>(paired.test), static_cast<int>(Test::wilcoxon_signed_rank));
    assert_int_equal(static_cast<int>(paired.verdict), static_cast<int>(Verdict::better));
    assert_close(paired.p_value, 2.0 / 1024, 1e-15);
    assert_true(paired.ratio.ci_defined() && paired.ratio.ci.high < 1);
    assert_string_equal(test_name(paired.test), "wilcoxon-signed-rank");
    const Comparison independent = compare(sub, ref, Direction::lower_is_better);
    assert_int_equal(static_cast<int>(independent.verdict), static_cast<int>(Verdict::same));
    assert_string_equal(test_name(independent.test), "mann-whitney-u");
}

static void compare__clearly_lower_when_lower_is_better__better(void **)
{
    const Comparison c = compare(IMPROVED, SEED_LIKE, Direction::lower_is_better);
    assert_int_equal(static_cast<int>(c.verdict), static_cast<int>(Verdict::better));
    assert_true(c.p_value < 0.001);
    assert_true(c.ratio.value < 1 && c.ratio.ci.high < 1);
    assert_string_equal(verdict_name(c.verdict), "better");
}

static void compare__clearly_lower_when_higher_is_better__worse(void **)
{
    const Comparison c = compare(IMPROVED, SEED_LIKE, Direction::higher_is_better);
    assert_int_equal(static_cast<int>(c.verdict), static_cast<int>(Verdict::worse));
    assert_string_equal(verdict_name(Verdict::worse), "worse");
}

static void compare__overlapping_samples__not_significant(void **)
{
    const std::vector<double> a = {5.30, 5.33, 5.28, 5.36, 5.31, 5.29, 5.34, 5.32, 5.27, 5.35};
    const Comparison c = compare(a, SEED_LIKE, Direction::lower_is_better);
    assert_int_equal(static_cast<int>(c.verdict), static_cast<int>(Verdict::same));
    assert_true(c.p_value >= 0.05);
    assert_string_equal(verdict_name(c.verdict), "~");
}

static void compare__too_few_runs__never_significant(void **)
{
    // Three runs each cannot reach p < 0.05, however far apart.
    const std::vector<double> a = {1, 1.1, 1.2};
    const std::vector<double> b = {100, 101, 102};
    const Comparison c = compare(a, b, Direction::lower_is_better);
    assert_int_equal(static_cast<int>(c.verdict), static_cast<int>(Verdict::same));
}

static void kendall__same_order__one_reverse__minus_one(void **)
{
    const std::vector<double> a = {1, 2, 3, 4, 5}, b = {10, 20, 30, 40, 50}, c = {5, 4, 3, 2, 1};
    assert_true(std::fabs(scx::stats::kendall(a, b).tau_b() - 1) < 1e-12);
    assert_true(std::fabs(scx::stats::kendall(a, c).tau_b() + 1) < 1e-12);
}

static void kendall__one_swap_of_five__0_8(void **)
{
    // 10 pairs, one discordant: (9 - 1) / 10.
    const std::vector<double> a = {1, 2, 3, 4, 5}, b = {1, 3, 2, 4, 5};
    const auto k = scx::stats::kendall(a, b);
    assert_int_equal(k.concordant, 9);
    assert_int_equal(k.discordant, 1);
    assert_true(std::fabs(k.tau_b() - 0.8) < 1e-12);
}

static void kendall__ties__tau_b_and_pooling(void **)
{
    // x ties one pair: n0 = 3, tx = 1, C = 2, D = 0 -> 2 / sqrt(2 * 3).
    const std::vector<double> x = {1, 1, 2}, y = {1, 2, 3};
    const auto k = scx::stats::kendall(x, y);
    assert_true(std::fabs(k.tau_b() - 2 / std::sqrt(6.0)) < 1e-12);
    // All tied on one side: undefined.
    const std::vector<double> flat = {7, 7, 7};
    assert_true(std::isnan(scx::stats::kendall(flat, y).tau_b()));
    // Pooled: one ranking the same, one reversed -> 0.
    const std::vector<double> up = {1, 2, 3}, down = {3, 2, 1};
    auto pooled = scx::stats::kendall(up, up);
    pooled.add(scx::stats::kendall(up, down));
    assert_true(std::fabs(pooled.tau_b()) < 1e-12);
}

int main()
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng__seed_zero__matches_reference_sequence),
        cmocka_unit_test(rng_below__seed_seven__matches_reference_and_stays_in_range),
        cmocka_unit_test(median__odd_and_even_counts__middle_value_or_midpoint),
        cmocka_unit_test(descriptive__known_sample__textbook_values),
        cmocka_unit_test(summarize__seed_like_sample__all_fields),
        cmocka_unit_test(bootstrap_median_ci__fixed_seed__reference_interval),
        cmocka_unit_test(bootstrap_median_ci__constant_sample__degenerate_interval),
        cmocka_unit_test(ratio_of_medians__fixed_seed__reference_value_and_interval),
        cmocka_unit_test(ratio_of_ratios__value_is_the_ratio_of_the_two_ratios),
        cmocka_unit_test(ratio_of_ratios__same_ratio_on_both_sides__interval_around_one),
        cmocka_unit_test(ratio_of_ratios__clear_difference__interval_excludes_one),
        cmocka_unit_test(ratio_of_ratios__zero_median_below__nan),
        cmocka_unit_test(ratio_of_medians__zero_reference__nan),
        cmocka_unit_test(ratio_of_medians__few_zero_resamples__dropped_and_counted),
        cmocka_unit_test(ratio_of_medians__many_zero_resamples__interval_undefined_not_nan_bounds),
        cmocka_unit_test(compare__both_medians_zero__no_ratio_no_verdict),
        cmocka_unit_test(outliers__single_spike__flagged),
        cmocka_unit_test(outliers__moderate_spread__none),
        cmocka_unit_test(outliers__zero_mad__any_deviation_flagged),
        cmocka_unit_test(modified_zscores__known_sample__scaled_by_mad),
        cmocka_unit_test(mann_whitney__hollander_wolfe_example__exact_p),
        cmocka_unit_test(mann_whitney__airquality_with_ties__normal_approximation),
        cmocka_unit_test(mann_whitney__complete_separation__smallest_exact_p),
        cmocka_unit_test(mann_whitney__identical_samples__p_one),
        cmocka_unit_test(mann_whitney__large_samples_without_ties__normal),
        cmocka_unit_test(wilcoxon_signed_rank__hollander_wolfe_depression__exact_p),
        cmocka_unit_test(wilcoxon_signed_rank__zeros_and_ties__normal_approximation),
        cmocka_unit_test(wilcoxon_signed_rank__all_differences_zero__p_one),
        cmocka_unit_test(wilcoxon_signed_rank__one_sided_pairs__smallest_exact_p),
        cmocka_unit_test(compare_paired__shared_seed_noise__better_where_independent_cannot_tell),
        cmocka_unit_test(compare__clearly_lower_when_lower_is_better__better),
        cmocka_unit_test(compare__clearly_lower_when_higher_is_better__worse),
        cmocka_unit_test(compare__overlapping_samples__not_significant),
        cmocka_unit_test(compare__too_few_runs__never_significant),
        cmocka_unit_test(kendall__same_order__one_reverse__minus_one),
        cmocka_unit_test(kendall__one_swap_of_five__0_8),
        cmocka_unit_test(kendall__ties__tau_b_and_pooling),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
