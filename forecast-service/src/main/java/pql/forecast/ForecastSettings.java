package pql.forecast;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code forecast:} section: how the service reads scores and computes ranges. Every field has
 * a default, so {@code new ForecastSettings()} (or {@code forecast: {}}) is a working setup.
 */
public class ForecastSettings {

    /** Count FREEMIUM accounts (no trial end, no deadline) as open trials too. */
    @JsonProperty
    private boolean includeFreemium = false;

    /**
     * How old a cached portfolio may be before a request refreshes it from scoring (incremental:
     * only accounts changed since the last refresh travel). 0 = refresh before every request.
     */
    @JsonProperty
    @Min(0)
    private long maxStalenessMillis = 0;

    /** Definition versions whose portfolios are kept (least recently used dropped beyond). */
    @JsonProperty
    @Min(1)
    @Max(32)
    private int cachedVersions = 3;

    /** Deadline of calls to scoring-service, except as-of exports. */
    @JsonProperty
    @Min(1)
    private long scoringDeadlineSeconds = 60;

    /** Deadline of as-of exports, which replay the log up to the instant. */
    @JsonProperty
    @Min(1)
    private long asOfDeadlineSeconds = 600;

    /** Exact ranges: most distinct revenue values one group's distribution may have. */
    @JsonProperty
    @Min(16)
    private int maxDistinctSums = 8192;

    /** Exact ranges: merge steps one request may spend across its groups (about 2 ns each). */
    @JsonProperty
    @Min(0)
    private long exactRangeBudget = 20_000_000;

    /** Calibration: how many trials' worth of weight the predicted odds keep in the suggested odds. */
    @JsonProperty
    @DecimalMin("0")
    private double calibrationPseudoCount = 20;

    /** Load the active version's portfolio at start, so the first forecast does not wait for it. */
    @JsonProperty
    private boolean warmOnStart = true;

    public boolean isIncludeFreemium() {
        return includeFreemium;
    }

    public ForecastSettings setIncludeFreemium(boolean includeFreemium) {
        this.includeFreemium = includeFreemium;
        return this;
    }

    public long getMaxStalenessMillis() {
        return maxStalenessMillis;
    }

    public ForecastSettings setMaxStalenessMillis(long maxStalenessMillis) {
        this.maxStalenessMillis = maxStalenessMillis;
        return this;
    }

    public int getCachedVersions() {
        return cachedVersions;
    }

    public ForecastSettings setCachedVersions(int cachedVersions) {
        this.cachedVersions = cachedVersions;
        return this;
    }

    public long getScoringDeadlineSeconds() {
        return scoringDeadlineSeconds;
    }

    public ForecastSettings setScoringDeadlineSeconds(long scoringDeadlineSeconds) {
        this.scoringDeadlineSeconds = scoringDeadlineSeconds;
        return this;
    }

    public long getAsOfDeadlineSeconds() {
        return asOfDeadlineSeconds;
    }

    public ForecastSettings setAsOfDeadlineSeconds(long asOfDeadlineSeconds) {
        this.asOfDeadlineSeconds = asOfDeadlineSeconds;
        return this;
    }

    public int getMaxDistinctSums() {
        return maxDistinctSums;
    }

    public ForecastSettings setMaxDistinctSums(int maxDistinctSums) {
        this.maxDistinctSums = maxDistinctSums;
        return this;
    }

    public long getExactRangeBudget() {
        return exactRangeBudget;
    }

    public ForecastSettings setExactRangeBudget(long exactRangeBudget) {
        this.exactRangeBudget = exactRangeBudget;
        return this;
    }

    public double getCalibrationPseudoCount() {
        return calibrationPseudoCount;
    }

    public ForecastSettings setCalibrationPseudoCount(double calibrationPseudoCount) {
        this.calibrationPseudoCount = calibrationPseudoCount;
        return this;
    }

    public boolean isWarmOnStart() {
        return warmOnStart;
    }

    public ForecastSettings setWarmOnStart(boolean warmOnStart) {
        this.warmOnStart = warmOnStart;
        return this;
    }
}
