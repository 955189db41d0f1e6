package pql.gateway.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import pql.v1.AccountScore;
import pql.v1.PqlKind;

/** The dashboard's scatter: every account as activation rate against engagement percentile. */
public record Spectrum(
        @JsonProperty("definitionVersion") int definitionVersion,
        @JsonProperty("accounts") long accounts,
        @JsonProperty("pqls") long pqls,
        @JsonProperty("truncated") boolean truncated,
        @JsonProperty("points") List<Point> points) {

    public record Point(
            @JsonProperty("accountId") String accountId,
            @JsonProperty("name") String name,
            @JsonProperty("owner") String owner,
            @JsonProperty("opportunitySize") String opportunitySize,
            @JsonProperty("activationRate") double activationRate,
            @JsonProperty("engagementPercentile") double engagementPercentile,
            @JsonProperty("engagementScore") double engagementScore,
            @JsonProperty("pql") boolean pql,
            @JsonProperty("kinds") List<String> kinds,
            @JsonProperty("closed") boolean closed) {

        static Point of(AccountScore score) {
            return new Point(score.getAccountId(),
                    score.getProfile().getName(),
                    score.getProfile().getOwner(),
                    score.getProfile().getOpportunitySize().name().replace("OPPORTUNITY_SIZE_", ""),
                    score.getActivation().getRate(),
                    score.getEngagement().getPercentile(),
                    score.getEngagement().getScore(),
                    score.getPql().getIsPql(),
                    score.getPql().getKindsList().stream().map(PqlKind::name).map(name -> name.replace("PQL_KIND_", "")).toList(),
                    score.hasOutcome());
        }
    }
}
