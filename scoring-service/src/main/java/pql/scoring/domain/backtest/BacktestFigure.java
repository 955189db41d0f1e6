package pql.scoring.domain.backtest;

/**
 * One figure of a backtest with the observations it rests on. Below the minimum sample (or when the
 * ratio is undefined) it is {@link #notEnoughData}: no value, so a reader never takes a 0 of three
 * trials for a measurement.
 *
 * @param value NaN unless {@link #measured}
 */
public record BacktestFigure(boolean measured, double value, long sampleSize) {

    /** {@code value} when {@code sampleSize} reaches {@code minimumSample} and the value is a number. */
    public static BacktestFigure of(double value, long sampleSize, int minimumSample) {
        if (sampleSize < minimumSample || !Double.isFinite(value)) {
            return notEnoughData(sampleSize);
        }
        return new BacktestFigure(true, value, sampleSize);
    }

    public static BacktestFigure notEnoughData(long sampleSize) {
        return new BacktestFigure(false, Double.NaN, sampleSize);
    }
}
