package pql.forecast.domain;

/**
 * The numbers behind a trial's levels, as scoring computed them: activation rate (0..1),
 * engagement score (points) and percentile (0..100), inbound interactions and responses in the
 * communication window.
 */
public record LevelEvidence(double activationRate, double engagementScore, double engagementPercentile, int inbound,
        int responses) {
}
