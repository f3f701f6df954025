// SPDX-License-Identifier: MIT
//
// <scx/stats.hpp> - the statistics behind scx-bench.
//
// Benchmark samples are few (ten runs is typical), often skewed and sometimes
// disturbed by an outlier, so everything here is robust and distribution-free:
// medians rather than means, a bootstrap confidence interval for the median,
// rank tests (Mann-Whitney U for independent samples, Wilcoxon signed-rank
// for paired ones) rather than Student's t. Randomness (the bootstrap)
// comes from a seeded generator, so the same samples always give the same
// intervals on every machine.

#ifndef SCX_STATS_HPP
#define SCX_STATS_HPP

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace scx::stats {

// xoshiro256** seeded through splitmix64: a small, fast generator whose
// sequence depends only on the seed (not on the C++ library).
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    // Uniform integer in [0, n), n > 0, without modulo bias.
    std::uint64_t below(std::uint64_t n);

private:
    std::uint64_t s_[4];
};

// Descriptive statistics. All return NaN for an empty sample (stddev also
// for a single value).
double median(std::span<const double> xs);
double mean(std::span<const double> xs);
double stddev(std::span<const double> xs); // sample standard deviation (n - 1)
// Median absolute deviation from the median, unscaled (multiply by 1.4826
// to estimate the standard deviation of normal data).
double mad(std::span<const double> xs);
// Quantile q in [0, 1], interpolating linearly between order statistics
// (Hyndman and Fan's type 7, the default of R and NumPy).
double quantile(std::span<const double> xs, double q);

struct Interval {
    double low = 0;
    double high = 0;
};

struct BootstrapOptions {
    double confidence = 0.95;
    int resamples = 10000;
    std::uint64_t seed = 0x5c4be4c4;
};

// Percentile bootstrap confidence interval of the median: resample the data
// with replacement, take the median of each resample, and keep the central
// `confidence` share of those medians.
Interval bootstrap_median_ci(std::span<const double> xs, const BootstrapOptions &opt = {});

struct Summary {
    std::size_t n = 0;
    double mean = 0, stddev = 0, median = 0, mad = 0, min = 0, max = 0;
    double q1 = 0, q3 = 0;  // quartiles (type 7), for box plots
    Interval median_ci;     // bootstrap
};
Summary summarize(std::span<const double> xs, const BootstrapOptions &opt = {});

// Outliers as hyperfine flags them: modified Z-score (x - median) / MAD
// (MAD replaced by DBL_EPSILON when it is 0), outlier when its
// absolute value exceeds 10 * 1.4826, i.e. about ten standard deviations
// for normal data.
inline constexpr double OUTLIER_THRESHOLD = 10 * 1.4826;
std::vector<double> modified_zscores(std::span<const double> xs);
// Indices of the outliers, ascending.
std::vector<std::size_t> outliers(std::span<const double> xs, double threshold = OUTLIER_THRESHOLD);

// How a p-value was computed: from the exact null distribution of the
// statistic, or from its normal approximation (with the corrections for ties
// and continuity, as R's wilcox.test does).
enum class Method { exact, normal };
const char *method_name(Method m); // "exact" / "normal"

// Two-sided Mann-Whitney U test (Wilcoxon rank-sum test) of "a and b come
// from the same distribution", for two independent samples. Exact null
// distribution when there are no ties and both samples have fewer than 50
// values (as R's wilcox.test does); otherwise the normal approximation with
// tie correction and continuity correction.
struct MannWhitney {
    double u = 0;        // U of a: pairs (x in a, y in b) with x > y, ties counting 1/2
    double z = 0;        // normal approximation's z (also filled for exact)
    double p_value = 1;  // two-sided
    Method method = Method::exact;
    bool ties = false;   // tied values across or within the samples
    std::size_t n1 = 0, n2 = 0;
};
MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b);

// Smallest two-sided p-value the exact test can give for these sizes:
// 2 / C(n1 + n2, n1). When it is not below alpha, no difference can be
// significant, however large.
double min_p_value(std::size_t n1, std::size_t n2);

// Two-sided Wilcoxon signed-rank test of "the differences a[i] - b[i] are
// symmetric around 0", for paired samples (a and b of equal size; pair i is
// a[i] with b[i]). As R's wilcox.test(a, b, paired = TRUE): zero differences
// are dropped (Wilcoxon's method), the absolute differences are ranked
// (midranks for ties), V is the sum of the ranks of the positive ones; the
// p-value is exact when fewer than 50 non-zero differences remain and there
// are neither ties nor zeros, otherwise from the normal approximation with
// the tie correction and the continuity correction. When every difference is
// zero, V is 0 and p is 1 (R gives NaN): the data show no difference.
struct SignedRank {
    double v = 0;          // sum of the ranks of the positive differences
    double z = 0;          // normal approximation's z (also filled for exact)
    double p_value = 1;    // two-sided
    Method method = Method::exact;
    bool ties = false;     // equal absolute non-zero differences
    std::size_t pairs = 0; // pairs given
    std::size_t zeros = 0; // pairs with a zero difference (dropped)
};
SignedRank wilcoxon_signed_rank(std::span<const double> a, std::span<const double> b);

// Smallest two-sided p-value the exact signed-rank test can give for n
// pairs: 2 / 2^n (all differences on one side).
double min_p_value_paired(std::size_t pairs);

// Ratio of medians median(a) / median(b) and its percentile bootstrap
// interval. A resample whose median of b is 0 has no ratio: it is dropped
// and counted. When more are dropped than one tail of the interval leaves
// out ((1 - confidence) / 2 of the resamples), the interval's ends would
// depend on ratios that do not exist: the interval is then undefined (both
// ends NaN). value is NaN (and the interval undefined) when median(b) is 0.
struct Ratio {
    double value = 0;
    Interval ci;
    int resamples = 0;     // bootstrap resamples drawn
    int dropped = 0;       // of those, with a zero median of b
    bool ci_defined() const;
};
// a and b resampled independently (independent samples).
Ratio ratio_of_medians(std::span<const double> a, std::span<const double> b, const BootstrapOptions &opt = {});
// Pairs (a[i], b[i]) resampled together (paired samples of equal size).
Ratio paired_ratio_of_medians(std::span<const double> a, std::span<const double> b, const BootstrapOptions &opt = {});
// Ratio of two ratios of medians, (median(a) / median(b)) /
// (median(c) / median(d)) - how far one side's ratio is from another's -
// with the four samples resampled independently. Resamples where a
// denominator's median is 0 are dropped and counted as above.
Ratio ratio_of_ratios(std::span<const double> a, std::span<const double> b, std::span<const double> c,
                      std::span<const double> d, const BootstrapOptions &opt = {});

enum class Direction { lower_is_better, higher_is_better };
enum class Verdict { better, worse, same };
// "better", "worse", "~"
const char *verdict_name(Verdict v);

enum class Test { mann_whitney_u, wilcoxon_signed_rank };
const char *test_name(Test t); // "mann-whitney-u" / "wilcoxon-signed-rank"

struct Comparison {
    Test test = Test::mann_whitney_u;
    Ratio ratio;               // median(subject) / median(reference)
    MannWhitney mann_whitney;  // Test::mann_whitney_u: subject as the first sample
    SignedRank signed_rank;    // Test::wilcoxon_signed_rank: differences subject - reference
    double p_value = 1;        // of the test used
    Method method = Method::exact;
    Verdict verdict = Verdict::same;
    double alpha = 0.05;
};
// Compare `subject` with `reference`: significant when the test's p-value is
// below alpha; then better or worse according to the side on which the
// subject's values lie (U above or below n1*n2/2; V above or below
// n(n+1)/4) and the direction. compare() treats the samples as independent
// (Mann-Whitney U, independent bootstrap); compare_paired() as pairs
// (subject[i], reference[i]) of equal size (signed-rank test, pairs
// resampled together).
Comparison compare(std::span<const double> subject, std::span<const double> reference, Direction dir,
                   double alpha = 0.05, const BootstrapOptions &opt = {});
Comparison compare_paired(std::span<const double> subject, std::span<const double> reference, Direction dir,
                          double alpha = 0.05, const BootstrapOptions &opt = {});

// Kendall's rank correlation between two rankings of the same items:
// x[i] and y[i] are item i's values on the two sides. Pairs ordered the same
// way on both sides are concordant, the other way discordant; ties on
// either side are neither. tau_b = (C - D) / sqrt((n0 - tx) (n0 - ty)),
// n0 = n (n - 1) / 2 and tx, ty the pairs tied on each side: 1 for the same
// order, -1 for the reverse, NaN when one side ties everything. Counts are
// kept so that several rankings can be pooled (add()).
struct Kendall {
    std::uint64_t concordant = 0, discordant = 0;
    std::uint64_t pairs = 0;                  // n0
    std::uint64_t tied_x = 0, tied_y = 0;     // pairs tied on x (on y), both included
    double tau_b() const;
    void add(const Kendall &o);
};
Kendall kendall(std::span<const double> x, std::span<const double> y);

} // namespace scx::stats

#endif // SCX_STATS_HPP
