// SPDX-License-Identifier: MIT
#include "base/stats.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace scx::stats {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Median of a scratch buffer, reordering it.
double median_inplace(std::vector<double> &v)
{
    const size_t n = v.size();
    if (n == 0)
        return NaN;
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(v.begin(), mid, v.end());
    const double hi = *mid;
    if (n % 2)
        return hi;
    const double lo = *std::max_element(v.begin(), mid);
    return lo + (hi - lo) / 2;
}

// Type-7 quantile of an ascending vector.
double quantile_sorted(const std::vector<double> &v, double q)
{
    if (v.empty())
        return NaN;
    const double h = (static_cast<double>(v.size()) - 1) * std::clamp(q, 0.0, 1.0);
    const auto lo = static_cast<size_t>(std::floor(h));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

void resample(std::span<const double> xs, Rng &rng, std::vector<double> &out)
{
    out.resize(xs.size());
    for (auto &x : out)
        x = xs[rng.below(xs.size())];
}

Interval percentile_interval(std::vector<double> &values, double confidence)
{
    std::sort(values.begin(), values.end());
    const double tail = (1 - confidence) / 2;
    return {quantile_sorted(values, tail), quantile_sorted(values, 1 - tail)};
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Null distribution of U for sample sizes m and n without ties: P(U = u),
// u = 0 .. m*n. The largest of the m + n values is one of the first sample
// with probability m / (m + n) and then beats all n values of the second:
//   P_{m,n}(u) = m/(m+n) P_{m-1,n}(u - n) + n/(m+n) P_{m,n-1}(u).
// Probabilities rather than counts keep every term positive and in range.
std::vector<double> u_distribution(size_t m, size_t n)
{
    std::vector<std::vector<double>> prev(n + 1, std::vector<double>{1.0}), cur(n + 1);
    for (size_t i = 1; i <= m; i++) {
        cur[0] = {1.0};
        for (size_t j = 1; j <= n; j++) {
            std::vector<double> d(i * j + 1, 0.0);
            const double pa = static_cast<double>(i) / static_cast<double>(i + j);
            const double pb = 1 - pa;
            const auto &left = prev[j]; // (i-1, j)
            const auto &down = cur[j - 1]; // (i, j-1)
            for (size_t u = 0; u < left.size(); u++)
                d[u + j] += pa * left[u];
            for (size_t u = 0; u < down.size(); u++)
                d[u] += pb * down[u];
            cur[j] = std::move(d);
        }
        std::swap(prev, cur);
    }
    return prev[n];
}

// Midranks over a sorted sequence of n items, where key(i) is what item i
// is ranked by: the sum of the midranks of the items with counted(i), and
// the ties' correction term, the sum of t^3 - t over groups of t > 1 equal
// keys.
struct Ranks {
    double sum = 0, tie_term = 0;
    bool ties = false;
};
template <class Key, class Counted> Ranks rank_with_ties(size_t n, Key key, Counted counted)
{
    Ranks r;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && key(j) == key(i))
            j++;
        const double t = static_cast<double>(j - i);
        const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
        for (size_t k = i; k < j; k++)
            if (counted(k))
                r.sum += midrank;
        if (t > 1) {
            r.ties = true;
            r.tie_term += t * t * t - t;
        }
        i = j;
    }
    return r;
}

// A rank statistic's normal approximation: z with the continuity
// correction for its deviation from the mean and its variance, and the
// two-sided p-value (1 when the variance is 0).
struct Normal {
    double z = 0, p = 1;
};
Normal normal_approximation(double deviation, double variance)
{
    const double sd = variance > 0 ? std::sqrt(variance) : 0;
    const double corr = deviation > 0 ? 0.5 : (deviation < 0 ? -0.5 : 0.0);
    Normal n;
    n.z = sd > 0 ? (deviation - corr) / sd : 0;
    n.p = sd > 0 ? std::min(1.0, 2 * normal_cdf(-std::fabs(n.z))) : 1.0;
    return n;
}

} // namespace

Rng::Rng(std::uint64_t seed)
{
    for (auto &s : s_)
        s = splitmix64(seed);
}

std::uint64_t Rng::next()
{
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint64_t Rng::below(std::uint64_t n)
{
    // Reject the few values that would make some residues more likely.
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
        const std::uint64_t x = next();
        if (x >= threshold)
            return x % n;
    }
}

double median(std::span<const double> xs)
{
    std::vector<double> v(xs.begin(), xs.end());
    return median_inplace(v);
}

double mean(std::span<const double> xs)
{
    if (xs.empty())
        return NaN;
    double sum = 0;
    for (double x : xs)
        sum += x;
    return sum / static_cast<double>(xs.size());
}

double stddev(std::span<const double> xs)
{
    if (xs.size() < 2)
        return NaN;
    const double m = mean(xs);
    double ss = 0;
    for (double x : xs)
        ss += (x - m) * (x - m);
    return std::sqrt(ss / static_cast<double>(xs.size() - 1));
}

double mad(std::span<const double> xs)
{
    const double med = median(xs);
    std::vector<double> dev;
    dev.reserve(xs.size());
    for (double x : xs)
        dev.push_back(std::fabs(x - med));
    return median_inplace(dev);
}

double quantile(std::span<const double> xs, double q)
{
    std::vector<double> v(xs.begin(), xs.end());
    std::sort(v.begin(), v.end());
    return quantile_sorted(v, q);
}

Interval bootstrap_median_ci(std::span<const double> xs, const BootstrapOptions &opt)
{
    if (xs.empty())
        return {NaN, NaN};
    Rng rng(opt.seed);
    std::vector<double> medians(static_cast<size_t>(std::max(opt.resamples, 1)));
    std::vector<double> buf;
    for (auto &m : medians) {
        resample(xs, rng, buf);
        m = median_inplace(buf);
    }
    return percentile_interval(medians, opt.confidence);
}

Summary summarize(std::span<const double> xs, const BootstrapOptions &opt)
{
    Summary s;
    s.n = xs.size();
    s.mean = mean(xs);
    s.stddev = stddev(xs);
    s.median = median(xs);
    s.mad = mad(xs);
    std::vector<double> v(xs.begin(), xs.end());
    std::sort(v.begin(), v.end());
    s.min = v.empty() ? NaN : v.front();
    s.max = v.empty() ? NaN : v.back();
    s.q1 = quantile_sorted(v, 0.25);
    s.q3 = quantile_sorted(v, 0.75);
    s.median_ci = bootstrap_median_ci(xs, opt);
    return s;
}

std::vector<double> modified_zscores(std::span<const double> xs)
{
    const double med = median(xs);
    double m = mad(xs);
    if (!(m > 0))
        m = DBL_EPSILON;
    std::vector<double> z;
    z.reserve(xs.size());
    for (double x : xs)
        z.push_back((x - med) / m);
    return z;
}

std::vector<size_t> outliers(std::span<const double> xs, double threshold)
{
    std::vector<size_t> out;
    const auto z = modified_zscores(xs);
    for (size_t i = 0; i < z.size(); i++)
        if (std::fabs(z[i]) > threshold)
            out.push_back(i);
    return out;
}

const char *method_name(Method m) { return m == Method::exact ? "exact" : "normal"; }

MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b)
{
    MannWhitney r;
    r.n1 = a.size();
    r.n2 = b.size();
    if (a.empty() || b.empty()) {
        r.p_value = NaN;
        return r;
    }
    // Midranks of the pooled sample; rank sum of a; tie sizes.
    struct Item {
        double v;
        bool from_a;
    };
    std::vector<Item> all;
    for (double x : a)
        all.push_back({x, true});
    for (double y : b)
        all.push_back({y, false});
    std::sort(all.begin(), all.end(), [](const Item &x, const Item &y) { return x.v < y.v; });
    const Ranks ranks = rank_with_ties(
        all.size(), [&](size_t i) { return all[i].v; }, [&](size_t i) { return all[i].from_a; });
    r.ties = ranks.ties;
    const double n1 = static_cast<double>(r.n1), n2 = static_cast<double>(r.n2), nn = n1 + n2;
    r.u = ranks.sum - n1 * (n1 + 1) / 2;

    const double mu = n1 * n2 / 2;
    const Normal normal = normal_approximation(r.u - mu, n1 * n2 / 12 * ((nn + 1) - ranks.tie_term / (nn * (nn - 1))));
    r.z = normal.z;

    if (!r.ties && r.n1 < 50 && r.n2 < 50) {
        r.method = Method::exact;
        const auto dist = u_distribution(r.n1, r.n2);
        const auto u = static_cast<size_t>(std::llround(r.u));
        double lower = 0, upper = 0;
        for (size_t k = 0; k < dist.size(); k++) {
            if (k <= u)
                lower += dist[k];
            if (k >= u)
                upper += dist[k];
        }
        r.p_value = std::min(1.0, 2 * std::min(lower, upper));
    } else {
        r.method = Method::normal;
        r.p_value = normal.p;
    }
    return r;
}

double min_p_value(size_t n1, size_t n2)
{
    // 2 / C(n1 + n2, n1), computed in logs to stay in range.
    const double log_c = std::lgamma(static_cast<double>(n1 + n2) + 1) - std::lgamma(static_cast<double>(n1) + 1) -
                         std::lgamma(static_cast<double>(n2) + 1);
    return std::min(1.0, 2 * std::exp(-log_c));
}

double min_p_value_paired(size_t pairs)
{
    return std::min(1.0, std::ldexp(2.0, -static_cast<int>(std::min<size_t>(pairs, 2000))));
}

SignedRank wilcoxon_signed_rank(std::span<const double> a, std::span<const double> b)
{
    SignedRank r;
    r.pairs = std::min(a.size(), b.size());
    // Non-zero differences, ranked by absolute value with midranks.
    std::vector<double> d;
    for (size_t i = 0; i < r.pairs; i++) {
        const double x = a[i] - b[i];
        if (x == 0)
            r.zeros++;
        else
            d.push_back(x);
    }
    const size_t n = d.size();
    if (n == 0) {
        r.method = r.zeros ? Method::normal : Method::exact;
        r.p_value = r.pairs ? 1.0 : NaN;
        return r;
    }
    std::sort(d.begin(), d.end(), [](double x, double y) { return std::fabs(x) < std::fabs(y); });
    const Ranks ranks = rank_with_ties(
        n, [&](size_t i) { return std::fabs(d[i]); }, [&](size_t i) { return d[i] > 0; });
    r.v = ranks.sum;
    r.ties = ranks.ties;
    const double nn = static_cast<double>(n);
    const double mu = nn * (nn + 1) / 4;
    const Normal normal = normal_approximation(r.v - mu, nn * (nn + 1) * (2 * nn + 1) / 24 - ranks.tie_term / 48);
    r.z = normal.z;

    if (n < 50 && !r.ties && r.zeros == 0) {
        r.method = Method::exact;
        // Null distribution: each rank 1..n is positive with probability
        // 1/2 independently; count the subsets of {1..n} with each sum.
        // The counts stay below 2^49, exact in a double.
        const size_t top = n * (n + 1) / 2;
        std::vector<double> count(top + 1, 0.0);
        count[0] = 1;
        for (size_t k = 1; k <= n; k++)
            for (size_t s = k * (k + 1) / 2; s >= k; s--)
                count[s] += count[s - k];
        const auto v = static_cast<size_t>(std::llround(r.v));
        double tail = 0;
        // R: the upper tail P(V >= v) above the mean, else the lower P(V <= v).
        if (r.v > mu)
            for (size_t s = v; s <= top; s++)
                tail += count[s];
        else
            for (size_t s = 0; s <= v; s++)
                tail += count[s];
        r.p_value = std::min(1.0, 2 * std::ldexp(tail, -static_cast<int>(n)));
    } else {
        r.method = Method::normal;
        r.p_value = normal.p;
    }
    return r;
}

bool Ratio::ci_defined() const { return std::isfinite(ci.low) && std::isfinite(ci.high); }

namespace {

// The percentile bootstrap of a ratio whose value on the data is `value`:
// `draw` resamples the data and returns the ratio on the resample, NaN
// when it has none (a zero denominator). Those are counted, and never
// reach the sort.
template <typename Draw> Ratio bootstrap_ratio(double value, const BootstrapOptions &opt, Draw draw)
{
    Ratio r;
    r.ci = {NaN, NaN};
    r.value = value;
    if (!std::isfinite(value))
        return r;
    r.resamples = std::max(opt.resamples, 1);
    Rng rng(opt.seed);
    std::vector<double> ratios;
    ratios.reserve(static_cast<size_t>(r.resamples));
    for (int i = 0; i < r.resamples; i++) {
        const double q = draw(rng);
        if (std::isfinite(q))
            ratios.push_back(q);
        else
            r.dropped++;
    }
    const double tail = (1 - opt.confidence) / 2;
    if (ratios.empty() || static_cast<double>(r.dropped) > tail * static_cast<double>(r.resamples))
        return r;
    r.ci = percentile_interval(ratios, opt.confidence);
    return r;
}

// num / den, NaN when den is 0 or either is not a number.
double quotient(double num, double den) { return den == 0 || !std::isfinite(den) ? NaN : num / den; }

// The ratio of medians of two resamples (reordered in place).
double resampled_ratio(std::vector<double> &num, std::vector<double> &den)
{
    const double d = median_inplace(den);
    return quotient(median_inplace(num), d);
}

// The ratio of medians on the data: NaN for an empty sample or a zero
// denominator.
double median_ratio(std::span<const double> a, std::span<const double> b)
{
    return a.empty() || b.empty() ? NaN : quotient(median(a), median(b));
}

} // namespace

Ratio ratio_of_medians(std::span<const double> a, std::span<const double> b, const BootstrapOptions &opt)
{
    std::vector<double> ba, bb;
    return bootstrap_ratio(median_ratio(a, b), opt, [&](Rng &rng) {
        resample(a, rng, ba);
        resample(b, rng, bb);
        return resampled_ratio(ba, bb);
    });
}

Ratio paired_ratio_of_medians(std::span<const double> a, std::span<const double> b, const BootstrapOptions &opt)
{
    const size_t n = std::min(a.size(), b.size());
    std::vector<double> ba(n), bb(n);
    return bootstrap_ratio(median_ratio(a.first(n), b.first(n)), opt, [&](Rng &rng) {
        for (size_t i = 0; i < n; i++) {
            const auto k = rng.below(n);
            ba[i] = a[k];
            bb[i] = b[k];
        }
        return resampled_ratio(ba, bb);
    });
}

Ratio ratio_of_ratios(std::span<const double> a, std::span<const double> b, std::span<const double> c,
                      std::span<const double> d, const BootstrapOptions &opt)
{
    std::vector<double> ba, bb, bc, bd;
    return bootstrap_ratio(quotient(median_ratio(a, b), median_ratio(c, d)), opt, [&](Rng &rng) {
        resample(a, rng, ba);
        resample(b, rng, bb);
        resample(c, rng, bc);
        resample(d, rng, bd);
        return quotient(resampled_ratio(ba, bb), resampled_ratio(bc, bd));
    });
}

const char *verdict_name(Verdict v)
{
    switch (v) {
    case Verdict::better: return "better";
    case Verdict::worse: return "worse";
    case Verdict::same: break;
    }
    return "~";
}

const char *test_name(Test t) { return t == Test::wilcoxon_signed_rank ? "wilcoxon-signed-rank" : "mann-whitney-u"; }

namespace {

void decide(Comparison &c, bool subject_lower, Direction dir)
{
    if (c.p_value < c.alpha) {
        const bool lower_wins = dir == Direction::lower_is_better;
        c.verdict = subject_lower == lower_wins ? Verdict::better : Verdict::worse;
    }
}

} // namespace

Comparison compare(std::span<const double> subject, std::span<const double> reference, Direction dir, double alpha,
                   const BootstrapOptions &opt)
{
    Comparison c;
    c.alpha = alpha;
    c.test = Test::mann_whitney_u;
    c.ratio = ratio_of_medians(subject, reference, opt);
    c.mann_whitney = mann_whitney(subject, reference);
    c.p_value = c.mann_whitney.p_value;
    c.method = c.mann_whitney.method;
    const double mu = static_cast<double>(c.mann_whitney.n1 * c.mann_whitney.n2) / 2;
    decide(c, c.mann_whitney.u < mu, dir);
    return c;
}

Comparison compare_paired(std::span<const double> subject, std::span<const double> reference, Direction dir,
                          double alpha, const BootstrapOptions &opt)
{
    Comparison c;
    c.alpha = alpha;
    c.test = Test::wilcoxon_signed_rank;
    c.ratio = paired_ratio_of_medians(subject, reference, opt);
    c.signed_rank = wilcoxon_signed_rank(subject, reference);
    c.p_value = c.signed_rank.p_value;
    c.method = c.signed_rank.method;
    const double n = static_cast<double>(c.signed_rank.pairs - c.signed_rank.zeros);
    decide(c, c.signed_rank.v < n * (n + 1) / 4, dir);
    return c;
}

double Kendall::tau_b() const
{
    const double nx = static_cast<double>(pairs - tied_x), ny = static_cast<double>(pairs - tied_y);
    if (nx <= 0 || ny <= 0)
        return NaN;
    return (static_cast<double>(concordant) - static_cast<double>(discordant)) / std::sqrt(nx * ny);
}

void Kendall::add(const Kendall &o)
{
    concordant += o.concordant;
    discordant += o.discordant;
    pairs += o.pairs;
    tied_x += o.tied_x;
    tied_y += o.tied_y;
}

Kendall kendall(std::span<const double> x, std::span<const double> y)
{
    Kendall k;
    const std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; i++)
        for (std::size_t j = i + 1; j < n; j++) {
            const double dx = x[i] - x[j], dy = y[i] - y[j];
            k.pairs++;
            if (dx == 0)
                k.tied_x++;
            if (dy == 0)
                k.tied_y++;
            if (dx == 0 || dy == 0)
                continue;
            if ((dx > 0) == (dy > 0))
                k.concordant++;
            else
                k.discordant++;
        }
    return k;
}

} // namespace scx::stats
