package pql.gateway.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The PQL spectrum at any scale: accounts counted per cell of an activation-rate × engagement-percentile
 * grid (per opportunity size), the header's counts over every account, and the definition's
 * activation threshold per size to draw on it.
 *
 * @param accounts every account the scoring service lists
 * @param pqls the PQL count: accounts that are PQLs now (as {@code /api/v1/metrics} and {@code pql_only} count them)
 * @param openTrials accounts whose lead status is OPEN
 * @param openPqls open trials that are PQLs: the leads sales works
 * @param thresholds activation rate to reach per opportunity size (SMALL, MID, LARGE)
 */
public record SpectrumDensity(
        @JsonProperty("definitionVersion") int definitionVersion,
        @JsonProperty("bins") int bins,
        @JsonProperty("accounts") long accounts,
        @JsonProperty("pqls") long pqls,
        @JsonProperty("openTrials") long openTrials,
        @JsonProperty("openPqls") long openPqls,
        @JsonProperty("thresholds") Map<String, Double> thresholds,
        @JsonProperty("cells") List<Cell> cells) {

    /** Accounts of one size in one cell: activation in [a/bins, (a+1)/bins), percentile in [100p/bins, 100(p+1)/bins). */
    public record Cell(
            @JsonProperty("activationBin") int activationBin,
            @JsonProperty("percentileBin") int percentileBin,
            @JsonProperty("size") String size,
            @JsonProperty("accounts") long accounts,
            @JsonProperty("pqls") long pqls) {
    }

    /** The cell of an activation rate (0..1; 1 falls in the last cell). */
    static int activationBin(double rate, int bins) {
        return clamp((int) Math.floor(rate * bins), bins);
    }

    /** The cell of an engagement percentile (0..100; 100 falls in the last cell). */
    static int percentileBin(double percentile, int bins) {
        return clamp((int) Math.floor(percentile / 100.0 * bins), bins);
    }

    private static int clamp(int bin, int bins) {
        return Math.max(0, Math.min(bins - 1, bin));
    }
}
