/* spc/hist: the histogram of a measure and the deck's six shapes.
 *
 * Bins: Freedman–Diaconis (width 2·IQR·n^(-1/3)) rather than Sturges
 * (⌈log2 n⌉ + 1 bins): the measures charted here (AHT, waits, talk time)
 * are long-tailed, and Sturges assumes a normal sample, so it underbins
 * large samples and hides the very islands and second modes the deck asks
 * about; the IQR ignores the tail. Sturges is the fallback when the
 * quartiles coincide. Whole-number data (seconds, scores) get a whole
 * width, else bins alternate between one and two values and the
 * histogram looks like a comb the data do not have.
 *
 * The shape is the first of these that holds (docs/spc.md, thresholds
 * named below): comb, island, bimodal, cliff, skewed; else normal.
 * Bimodal before cliff: two groups far apart put one peak in an end bin,
 * which is no cut end but the second population the deck says to split. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "spc/spc.h"

/* The thresholds (docs/spc.md, "Shapes"). */
#define COMB_DIP_RATIO   0.6   /* a dip bin holds <= 0.6 of its lower neighbour */
#define COMB_DIP_SIGMAS  2.0   /* and is 2 √(neighbour) below it (Poisson) */
#define COMB_MIN_DIPS    3     /* comb: 3 dips and a fifth of the bins */
#define ISLAND_GAP_BINS  2     /* an island is 2+ empty bins from the body */
#define ISLAND_MIN_SHARE 0.02  /* and holds 2 %..20 % of the values */
#define ISLAND_MAX_SHARE 0.20
#define CLIFF_EDGE_SHARE 0.5   /* an end bin holds half the tallest bin */
#define BIMODAL_PEAK     0.25  /* second peak >= 1/4 of the first */
#define BIMODAL_VALLEY   0.6   /* valley <= 0.6 of the lower peak */
#define SKEW_MIN         0.5   /* |skewness| >= 0.5 and 2 standard errors */
#define SKEW_SES         2.0

static const struct spc_shape_text texts[] = {
	[SPC_SHAPE_NORMAL] = {"normal", "正常型",
		"中间高、两边低，有集中趋势，左右对称分布，说明处于控制状态。",
		"处于控制状态，保持现有做法并继续监控。",
		"High in the middle, low on both sides, symmetric: the process is "
		"in control; keep it as it is and keep watching."},
	[SPC_SHAPE_COMB] = {"comb", "凹凸不平型",
		"高低不一、分布不对称，统计有误或组距选择存在问题。",
		"重新统计数据，更改组距。",
		"Bars go up and down: the data were counted wrongly or the bin "
		"width is wrong. Re-check the data, change the bin width."},
	[SPC_SHAPE_CLIFF] = {"cliff", "切边型",
		"有一端被切断，数据不全或数据经过筛选。",
		"采用全面或未筛选过的数据。",
		"One end is cut off: the data are incomplete or were filtered. "
		"Use the complete, unfiltered data."},
	[SPC_SHAPE_ISLAND] = {"island", "离岛型",
		"在右端或左端形成岛型，一定存在异常问题。",
		"比较岛型个体与其他个体各项数据的差异。",
		"An island at one end: there is certainly an abnormal cause. "
		"Compare the island's items with the others to find what differs."},
	[SPC_SHAPE_BIMODAL] = {"bimodal", "双峰型",
		"有两个高峰出现，两类不同的数据混在一起。",
		"分类统计后再制作直方图。",
		"Two peaks: two kinds of data are mixed. Stratify (by queue, "
		"agent, hour) and draw a histogram of each."},
	[SPC_SHAPE_SKEWED] = {"skewed", "偏态型",
		"高处偏向一边，另一边低，拖长尾巴，可分偏左型、偏右型；长尾的部分出现了异常问题。",
		"出现长尾，看看能否接受，再进行调整。",
		"The peak leans to one side with a long tail on the other: decide "
		"whether the tail is acceptable, then adjust."},
};

const struct spc_shape_text *spc_shape_text(enum spc_shape s)
{
	return (size_t)s < sizeof(texts) / sizeof(texts[0]) ? &texts[s]
							      : NULL;
}

void spc_hist_free(struct spc_hist *h)
{
	if (!h)
		return;
	free(h->bins);
	memset(h, 0, sizeof(*h));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of sorted s[0..n), interpolated between order
 * statistics (type 7, R's and numpy's default). */
static double quantile(const double *s, size_t n, double q)
{
	double h = q * (double)(n - 1);
	size_t i = (size_t)floor(h);

	return i + 1 < n ? s[i] + (h - (double)i) * (s[i + 1] - s[i]) : s[i];
}

/* Bin count and width for sorted s: FD or Sturges, whole widths for
 * whole numbers, kept to SPC_HIST_BINS_MIN..MAX. */
static void choose_bins(const double *s, size_t n, size_t *k, double *h,
			const char **rule)
{
	double range = s[n - 1] - s[0];
	double iqr = quantile(s, n, 0.75) - quantile(s, n, 0.25);
	bool whole = true;

	for (size_t i = 0; i < n && whole; i++)
		whole = s[i] == floor(s[i]);
	if (iqr > 0) {
		*h = 2 * iqr / cbrt((double)n);
		*rule = "freedman-diaconis";
	} else {
		*h = range / (ceil(log2((double)n)) + 1);
		*rule = "sturges";
	}
	if (whole)
		*h = fmax(1, ceil(*h));
	/* Whole widths cover [min, min + k·h) with the maximum inside;
	 * others are stretched to end at the maximum, so that the last bin
	 * is as wide in the data as the others (a half-empty end bin would
	 * hide a cliff). */
	if (whole) {
		*k = (size_t)floor(range / *h) + 1;
	} else {
		*k = (size_t)ceil(range / *h);
		*h = range / (double)*k;
	}
	if (whole && *k < SPC_HIST_BINS_MIN &&
	    range >= SPC_HIST_BINS_MIN - 1) {
		*h = floor(range / (SPC_HIST_BINS_MIN - 1));
		*k = (size_t)floor(range / *h) + 1;
	}
	if (*k < SPC_HIST_BINS_MIN || *k > SPC_HIST_BINS_MAX) {
		*k = *k < SPC_HIST_BINS_MIN ? SPC_HIST_BINS_MIN
					    : SPC_HIST_BINS_MAX;
		*h = range / (double)*k;
	}
}

static bool is_comb(const size_t *c, size_t k)
{
	size_t dips = 0;

	for (size_t i = 1; i + 1 < k; i++) {
		double lo = (double)(c[i - 1] < c[i + 1] ? c[i - 1] : c[i + 1]);

		dips += (double)c[i] <= COMB_DIP_RATIO * lo &&
			lo - (double)c[i] > COMB_DIP_SIGMAS * sqrt(lo);
	}
	return dips >= COMB_MIN_DIPS && 5 * dips >= k;
}

/* Groups of bins split by ISLAND_GAP_BINS or more empty bins: an island
 * is a group other than the largest holding a modest share. */
static bool is_island(const size_t *c, size_t k, size_t total)
{
	size_t sums[SPC_HIST_BINS_MAX], ng = 0, empty = 0, best = 0;

	for (size_t i = 0; i < k; i++) {
		if (!c[i]) {
			empty++;
			continue;
		}
		if (!ng || empty >= ISLAND_GAP_BINS)
			sums[ng++] = 0;
		sums[ng - 1] += c[i];
		empty = 0;
	}
	for (size_t g = 1; g < ng; g++)
		if (sums[g] > sums[best])
			best = g;
	for (size_t g = 0; g < ng; g++) {
		double share = (double)sums[g] / (double)total;

		if (g != best && share >= ISLAND_MIN_SHARE &&
		    share <= ISLAND_MAX_SHARE)
			return true;
	}
	return false;
}

/* A tall end bin with the peak beside it: the data stop where they are
 * thickest. A tall end bin with the peak in the middle third is only a
 * short histogram's shoulder (five bins of a few dozen values). */
static bool is_cliff(const size_t *c, size_t k)
{
	size_t top = 0, at = 0;

	for (size_t i = 0; i < k; i++)
		if (c[i] > top) {
			top = c[i];
			at = i;
		}
	return ((double)c[0] >= CLIFF_EDGE_SHARE * (double)top &&
		3 * at < k) ||
	       ((double)c[k - 1] >= CLIFF_EDGE_SHARE * (double)top &&
		3 * (k - 1 - at) < k);
}

/* On counts smoothed (1 2 1)/4, so that a comb's teeth make no peaks. */
static bool is_bimodal(const size_t *c, size_t k)
{
	double s[SPC_HIST_BINS_MAX];
	size_t a = 0;

	for (size_t i = 0; i < k; i++) {
		s[i] = (2.0 * (double)c[i] + (i ? (double)c[i - 1] : 0) +
			(i + 1 < k ? (double)c[i + 1] : 0)) / 4;
		if (s[i] > s[a])
			a = i;
	}
	for (size_t b = 0; b < k; b++) {
		size_t lo = a < b ? a : b, hi = a < b ? b : a;
		double valley = s[a];

		if (b == a || s[b] < BIMODAL_PEAK * s[a] ||
		    (b && s[b - 1] > s[b]) || (b + 1 < k && s[b + 1] > s[b]))
			continue;
		for (size_t i = lo + 1; i < hi; i++)
			valley = fmin(valley, s[i]);
		if (hi > lo + 1 && valley <= BIMODAL_VALLEY * s[b])
			return true;
	}
	return false;
}

/* The standard error of the sample skewness (Joanes & Gill's G1). */
static double skew_se(double n)
{
	return sqrt(6 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)));
}

static void moments(const double *x, size_t n, struct spc_hist *h)
{
	double m = 0, m2 = 0, m3 = 0, dn = (double)n;

	for (size_t i = 0; i < n; i++)
		m += x[i];
	m /= dn;
	for (size_t i = 0; i < n; i++) {
		double d = x[i] - m;

		m2 += d * d;
		m3 += d * d * d;
	}
	h->mean = m;
	h->sd = sqrt(m2 / (dn - 1));
	m2 /= dn;
	m3 /= dn;
	h->skewness = m3 / pow(m2, 1.5) * sqrt(dn * (dn - 1)) / (dn - 2);
}

int spc_hist_make(const double *x, size_t n, size_t bins,
		  struct spc_hist *out)
{
	struct spc_hist h = {0};
	size_t k, counts[SPC_HIST_BINS_MAX] = {0};
	double *s, w;

	if (!x || !out || (bins && (bins < SPC_HIST_BINS_MIN ||
				    bins > SPC_HIST_BINS_MAX)))
		return EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return EINVAL;
	if (n < SPC_HIST_MIN_POINTS)
		return EDOM;
	s = malloc(n * sizeof(*s));
	if (!s)
		return ENOMEM;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	if (s[0] == s[n - 1]) {
		free(s);
		return ERANGE;
	}
	if (bins) {
		k = bins;
		w = (s[n - 1] - s[0]) / (double)k;
		h.rule = "given";
	} else {
		choose_bins(s, n, &k, &w, &h.rule);
	}
	h.bins = calloc(k, sizeof(*h.bins));
	if (!h.bins) {
		free(s);
		return ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		size_t b = (size_t)floor((s[i] - s[0]) / w);

		counts[b < k ? b : k - 1]++;
	}
	for (size_t b = 0; b < k; b++)
		h.bins[b] = (struct spc_bin){s[0] + (double)b * w,
					     s[0] + (double)(b + 1) * w,
					     counts[b]};
	h.nbins = k;
	moments(x, n, &h);
	free(s);
	h.shape = is_comb(counts, k) ? SPC_SHAPE_COMB
		: is_island(counts, k, n) ? SPC_SHAPE_ISLAND
		: is_bimodal(counts, k) ? SPC_SHAPE_BIMODAL
		: is_cliff(counts, k) ? SPC_SHAPE_CLIFF
		: fabs(h.skewness) >= SKEW_MIN &&
		  fabs(h.skewness) >= SKEW_SES * skew_se((double)n)
			? SPC_SHAPE_SKEWED : SPC_SHAPE_NORMAL;
	*out = h;
	return 0;
}

int spc_spec_check(const double *x, size_t n, const struct spc_hist *h,
		   struct spc_spec *s)
{
	if (!x || !h || !s || (!s->has_lsl && !s->has_usl) ||
	    (s->has_lsl && !isfinite(s->lsl)) ||
	    (s->has_usl && !isfinite(s->usl)) ||
	    (s->has_lsl && s->has_usl && s->lsl >= s->usl) || !(h->sd > 0))
		return EINVAL;
	s->below = s->above = 0;
	for (size_t i = 0; i < n; i++) {
		s->below += s->has_lsl && x[i] < s->lsl;
		s->above += s->has_usl && x[i] > s->usl;
	}
	s->has_cp = s->has_lsl && s->has_usl;
	s->cp = s->has_cp ? (s->usl - s->lsl) / (6 * h->sd) : 0;
	s->cpk = fmin(s->has_usl ? (s->usl - h->mean) / (3 * h->sd) : INFINITY,
		      s->has_lsl ? (h->mean - s->lsl) / (3 * h->sd) : INFINITY);
	return 0;
}
