package pql.statistics;

/**
 * The Brier score of probability forecasts: the mean of (predicted - outcome)^2 with outcome 1 or 0.
 * 0 is perfect; always saying 0.5 scores 0.25. Accumulates one forecast at a time.
 */
public final class BrierScore {

    private double squaredErrors;
    private long count;

    /** One forecast: {@code predicted} in 0..1 and whether the event happened. */
    public void add(double predicted, boolean happened) {
        if (!(predicted >= 0 && predicted <= 1)) {
            throw new IllegalArgumentException("predicted must be in 0..1, got " + predicted);
        }
        double error = predicted - (happened ? 1 : 0);
        squaredErrors += error * error;
        count++;
    }

    public long count() {
        return count;
    }

    /** The mean squared error so far; NaN before any forecast. */
    public double value() {
        return count == 0 ? Double.NaN : squaredErrors / count;
    }
}
