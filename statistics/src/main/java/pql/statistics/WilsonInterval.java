package pql.statistics;

/**
 * Wilson score interval of a binomial proportion: unlike the textbook p +/- z sqrt(p(1-p)/n) it
 * stays inside 0..1 and keeps its coverage for small n and rates near 0 or 1, which is where a
 * persona with 5% odds lives.
 */
public record WilsonInterval(double low, double high) {

    /** @param confidence in (0, 1), e.g. 0.95 */
    public static WilsonInterval of(long successes, long trials, double confidence) {
        if (trials == 0) {
            return new WilsonInterval(0, 1);
        }
        double z = NormalQuantile.of(1 - (1 - confidence) / 2);
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new WilsonInterval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    public boolean contains(double value) {
        return low <= value && value <= high;
    }
}
