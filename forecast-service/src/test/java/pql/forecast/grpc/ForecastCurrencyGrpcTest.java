package pql.forecast.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.support.Scores.account;
import static pql.forecast.support.Scores.timestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.forecast.support.InProcessForecast;
import pql.forecast.support.ScoringServiceFixture;
import pql.v1.AccountScore;
import pql.v1.Conversion;
import pql.v1.Forecast;
import pql.v1.ForecastLine;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetForecastRequest;
import pql.v1.Persona;
import pql.v1.StreamForecastLinesRequest;

/**
 * The reporting currency through ForecastService (in-process gRPC, scores and exchange rates from the
 * scoring fixture): a EUR deal converted at the rate of the forecast's as_of, a forward-dated rate
 * ignored, a rate recorded after known_at unknown, a currency without a rate listed with a warning.
 * Scoring's clock (the forecast's as_of) says 2025-03-01.
 */
class ForecastCurrencyGrpcTest {

    private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");

    private ScoringServiceFixture scoring;
    private InProcessForecast harness;
    private ForecastServiceGrpc.ForecastServiceBlockingStub forecasts;

    @BeforeEach
    void start() throws Exception {
        scoring = ScoringServiceFixture.inProcess();
        scoring.clockAt(NOW);
        scoring.publish(1, Map.of());
        List<AccountScore> portfolio = List.of(
                account("usd").persona(Persona.PERSONA_GOLDEN_LEAD).deal("1000.00").position(1).build(),
                account("eur").persona(Persona.PERSONA_GOLDEN_LEAD).deal("10000.00", "EUR").position(2).build(),
                account("gbp").persona(Persona.PERSONA_FIZZLER).deal("500.00", "GBP").position(3).build());
        scoring.put(1, portfolio);
        scoring.putKnownAt(1, Instant.parse("2025-01-15T00:00:00Z").toEpochMilli(), 3, portfolio);
        scoring.rate("EUR", "USD", "1.08", "2025-02-01", "2025-02-01T10:00:00Z")
                // dated after as_of: a forward rate, not used for March 1st
                .rate("EUR", "USD", "1.12", "2025-03-02", "2025-02-27T10:00:00Z");
        harness = new InProcessForecast(scoring, NOW);
        forecasts = harness.forecasts();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        scoring.close();
    }

    @Test
    void aEuroTrialIsConvertedAndAPoundTrialWithoutARateIsListedWithAWarning() {
        Forecast forecast = forecasts.getForecast(GetForecastRequest.newBuilder().setCurrency("USD").build());

        // 1,000.00 x 0.9 + 10,000.00 EUR x 1.08 x 0.9 = 900 + 9,720 = 10,620.00
        assertThat(forecast.getExpectedRevenue().getAmountMicros()).isEqualTo(10_620_000_000L);
        assertThat(forecast.getPipeline().getAmountMicros()).isEqualTo(11_800_000_000L);
        assertThat(forecast.getOpenTrials()).isEqualTo(2);
        assertThat(forecast.getConvertedTrials()).isEqualTo(1);
        assertThat(forecast.getUnconvertedTrials()).isEqualTo(1);
        assertThat(forecast.getSkippedOtherCurrency()).isEqualTo(1);
        assertThat(forecast.getUnconvertedCurrenciesList()).hasSize(1);
        assertThat(forecast.getUnconvertedCurrencies(0).getCurrency()).isEqualTo("GBP");
        assertThat(forecast.getUnconvertedCurrencies(0).getPipeline().getAmountMicros()).isEqualTo(500_000_000L);
        assertThat(forecast.getUnconvertedCurrencies(0).getReason())
                .isEqualTo("no exchange rate GBP->USD dated on or before 2025-03-01");
        assertThat(forecast.getWarningsList()).singleElement().asString().contains("1 in GBP");
    }

    @Test
    void everyLineShowsItsOriginalAmountAndTheRateUsedOrItsWarning() {
        List<ForecastLine> lines = new ArrayList<>();
        forecasts.streamForecastLines(StreamForecastLinesRequest.newBuilder().setCurrency("USD").build())
                .forEachRemaining(lines::add);

        // in account id order
        assertThat(lines).extracting(ForecastLine::getAccountId).containsExactly("eur", "gbp", "usd");
        assertThat(lines.get(2).getConversion()).isEqualTo(Conversion.CONVERSION_SAME_CURRENCY);
        ForecastLine euros = lines.get(0);
        assertThat(euros.getConversion()).isEqualTo(Conversion.CONVERSION_CONVERTED);
        assertThat(euros.getOriginalDealSize().getCurrency()).isEqualTo("EUR");
        assertThat(euros.getOriginalDealSize().getAmountMicros()).isEqualTo(10_000_000_000L);
        assertThat(euros.getDealSize().getCurrency()).isEqualTo("USD");
        assertThat(euros.getDealSize().getAmountMicros()).isEqualTo(10_800_000_000L);
        assertThat(euros.getExpectedRevenue().getAmountMicros()).isEqualTo(9_720_000_000L);
        assertThat(euros.getExchangeRate().getRate()).isEqualTo("1.08");
        assertThat(euros.getExchangeRate().getEffectiveDate()).isEqualTo("2025-02-01");
        ForecastLine pounds = lines.get(1);
        assertThat(pounds.getConversion()).isEqualTo(Conversion.CONVERSION_UNCONVERTED);
        assertThat(pounds.hasDealSize()).isFalse();
        assertThat(pounds.hasExpectedRevenue()).isFalse();
        assertThat(pounds.getOriginalDealSize().getAmountMicros()).isEqualTo(500_000_000L);
        assertThat(pounds.getWarning()).isEqualTo("no exchange rate GBP->USD dated on or before 2025-03-01");
    }

    @Test
    void aRateRecordedAfterKnownAtIsNotKnown() {
        // on January 15th no EUR rate had been recorded yet
        Forecast then = forecasts.getForecast(GetForecastRequest.newBuilder().setCurrency("USD")
                .setKnownAt(timestamp("2025-01-15T00:00:00Z")).build());

        assertThat(then.getExpectedRevenue().getAmountMicros()).isEqualTo(900_000_000L);
        assertThat(then.getUnconvertedCurrenciesList()).extracting(c -> c.getCurrency()).containsExactly("EUR", "GBP");
    }

    @Test
    void ratesAreFetchedOnceAndThenOnlyTheNewOnes() {
        forecasts.getForecast(GetForecastRequest.getDefaultInstance());
        scoring.rate("GBP", "USD", "1.25", "2025-02-01", "2025-02-28T00:00:00Z");
        Forecast later = forecasts.getForecast(GetForecastRequest.getDefaultInstance());

        assertThat(scoring.rateRequests()).extracting(r -> r.getAfterSequence()).containsExactly(0L, 2L);
        // 900 + 9,720 + 500 x 1.25 x 0.1 = 10,682.50
        assertThat(later.getExpectedRevenue().getAmountMicros()).isEqualTo(10_682_500_000L);
        assertThat(later.getUnconvertedTrials()).isZero();
        assertThat(later.getWarningsList()).isEmpty();
    }
}
