package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.AppendRequest;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.scoring.wire.EnvelopeDecoder;
import pql.v1.EventEnvelope;
import pql.v1.ExchangeRate;
import pql.v1.ExchangeRateRecord;
import pql.v1.ListExchangeRatesRequest;
import pql.v1.ListExchangeRatesResponse;

/**
 * ListExchangeRates over gRPC on a real store: the rates ingest appended to "pql-exchange-rates", in
 * recording order, only those after a sequence, only those recorded by known_at; and the account
 * projection does not take the rates stream for an account.
 */
class ExchangeRatesGrpcTest {

    @TempDir
    Path directory;

    private ScoringServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ScoringServerFixture(directory);
        record("r1", "EUR", "USD", "1.08", "2026-01-01", "2026-01-02T09:00:00Z");
        record("r2", "GBP", "USD", "1.25", "2026-01-01", "2026-01-03T09:00:00Z");
        record("r3", "EUR", "USD", "1.10", "2026-02-01", "2026-02-03T09:00:00Z");
        fixture.awaitCaughtUp();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private void record(String id, String base, String quote, String rate, String date, String recordedAt) {
        var at = pql.scoring.grpc.ScoreProtos.timestamp(Instant.parse(recordedAt).toEpochMilli());
        EventEnvelope envelope = EventEnvelope.newBuilder().setEventId(id).setAccountId("exchange-rates")
                .setType(ExchangeRate.getDescriptor().getFullName()).setOccurredAt(at).setRecordedAt(at)
                .setSchemaRevision(EnvelopeDecoder.SCHEMA_REVISION)
                .setPayload(ExchangeRate.newBuilder().setBase(base).setQuote(quote).setRate(rate).setEffectiveDate(date)
                        .build().toByteString()).build();
        fixture.store.append(List.of(new AppendRequest(StreamIds.EXCHANGE_RATES, ExpectedVersion.ANY, List.of(envelope))));
    }

    private ListExchangeRatesResponse list(ListExchangeRatesRequest.Builder request) {
        return fixture.scoring.listExchangeRates(request.build());
    }

    @Test
    void everyRecordedRateComesInRecordingOrder() {
        ListExchangeRatesResponse all = list(ListExchangeRatesRequest.newBuilder());

        assertThat(all.getRatesList()).extracting(ExchangeRateRecord::getEventId).containsExactly("r1", "r2", "r3");
        assertThat(all.getRatesList()).extracting(ExchangeRateRecord::getSequence).containsExactly(1L, 2L, 3L);
        assertThat(all.getRates(2).getRate()).isEqualTo("1.10");
        assertThat(all.getRates(2).getEffectiveDate()).isEqualTo("2026-02-01");
        assertThat(all.getLastSequence()).isEqualTo(3);
    }

    @Test
    void afterASequenceOnlyTheNewerOnesIncludingThoseRecordedSince() {
        assertThat(list(ListExchangeRatesRequest.newBuilder().setAfterSequence(2)).getRatesList())
                .extracting(ExchangeRateRecord::getEventId).containsExactly("r3");
        record("r4", "CHF", "USD", "1.13", "2026-02-01", "2026-02-04T09:00:00Z");
        assertThat(list(ListExchangeRatesRequest.newBuilder().setAfterSequence(3)).getRatesList())
                .extracting(ExchangeRateRecord::getEventId).containsExactly("r4");
    }

    @Test
    void knownAtLeavesOutRatesRecordedLater() {
        ListExchangeRatesResponse then = list(ListExchangeRatesRequest.newBuilder()
                .setKnownAt(ScoreProtos.timestamp(Instant.parse("2026-01-03T09:00:00Z").toEpochMilli())));

        assertThat(then.getRatesList()).extracting(ExchangeRateRecord::getEventId).containsExactly("r1", "r2");
        assertThat(then.getLastSequence()).isEqualTo(3);
    }

    @Test
    void aNegativeSequenceOrAFutureKnownAtIsInvalid() {
        assertThatThrownBy(() -> list(ListExchangeRatesRequest.newBuilder().setAfterSequence(-1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("after_sequence");
                });
        assertThatThrownBy(() -> list(ListExchangeRatesRequest.newBuilder()
                .setKnownAt(ScoreProtos.timestamp(Instant.now().plusSeconds(3600).toEpochMilli()))))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void theRatesAreNoAccount() {
        assertThat(fixture.scoring.listAccountScores(pql.v1.ListAccountScoresRequest.getDefaultInstance())
                .getScoresList()).isEmpty();
    }
}
