package pql.gateway.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import pql.v1.AccountScore;

/** One account evaluated as of the end of each day: the account page's chart. */
public record AccountDays(
        @JsonProperty("accountId") String accountId,
        @JsonProperty("days") List<Day> days) {

    /**
     * The account at the end of {@code date} (UTC), as scoring evaluates it then.
     *
     * @param expectedValueMicros deal size × persona odds in {@code currency}; null without a deal size
     */
    public record Day(
            @JsonProperty("date") String date,
            @JsonProperty("activationRate") double activationRate,
            @JsonProperty("engagementScore") double engagementScore,
            @JsonProperty("engagementPercentile") double engagementPercentile,
            @JsonProperty("pql") boolean pql,
            @JsonProperty("status") String status,
            @JsonProperty("persona") String persona,
            @JsonProperty("expectedValueMicros") Long expectedValueMicros,
            @JsonProperty("currency") String currency) {

        static Day of(String date, AccountScore score) {
            boolean priced = score.getLead().hasExpectedValue();
            return new Day(date,
                    score.getActivation().getRate(),
                    score.getEngagement().getScore(),
                    score.getEngagement().getPercentile(),
                    score.getPql().getIsPql(),
                    score.getLead().getStatus().name().replace("LEAD_STATUS_", ""),
                    score.getLead().getPersona().name().replace("PERSONA_", ""),
                    priced ? score.getLead().getExpectedValue().getAmountMicros() : null,
                    priced ? score.getLead().getExpectedValue().getCurrency() : null);
        }
    }
}
