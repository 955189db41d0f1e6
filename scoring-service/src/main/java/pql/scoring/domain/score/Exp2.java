package pql.scoring.domain.score;

/**
 * 2^x for the engagement decay, computed with plain double arithmetic only: Java evaluates it to the
 * same bits on every JVM, interpreted or compiled (no intrinsics, no fused multiply-add), which is what
 * makes replayed scores bit-identical to live ones. A table of 2^(j/1024) (built once with
 * {@link StrictMath#pow}) times a short series for the remaining fraction: within a couple of ulps of
 * the exact value, and several times cheaper than {@code StrictMath.pow}, which a replay would
 * otherwise call for nearly every event.
 */
final class Exp2 {

    private static final int TABLE_BITS = 10;
    private static final int TABLE_SIZE = 1 << TABLE_BITS;
    private static final double[] TABLE = new double[TABLE_SIZE];
    private static final double LN2 = 0.6931471805599453;
    private static final double RANGE = 1000;

    static {
        for (int j = 0; j < TABLE_SIZE; j++) {
            TABLE[j] = StrictMath.pow(2.0, (double) j / TABLE_SIZE);
        }
    }

    private Exp2() {
    }

    static double of(double x) {
        if (!(x > -RANGE && x < RANGE)) {
            // far out (or NaN): never on the decay path, where the anchor keeps x within 512 half-lives
            return StrictMath.pow(2.0, x);
        }
        double whole = Math.floor(x);
        double scaled = (x - whole) * TABLE_SIZE; // both steps exact
        int j = (int) scaled;
        // r = fraction - j / 1024, exactly; |r * ln 2| < 7e-4, so the series below is exact to the last bit or so
        double y = (scaled - j) / TABLE_SIZE * LN2;
        double series = 1 + y * (1 + y * (0.5 + y * (1.0 / 6 + y * (1.0 / 24))));
        return Math.scalb(TABLE[j] * series, (int) whole);
    }
}
