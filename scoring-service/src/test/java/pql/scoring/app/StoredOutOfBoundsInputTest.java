package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.scoring.domain.score.AccountScore;
import pql.scoring.testing.SampleHistory;
import pql.v1.EventEnvelope;
import pql.v1.ProductAction;

/**
 * Issue #13, finding 2: a product action with quantity 1e308 was accepted and made its account's
 * engagement Infinity, first in the spectrum. Ingest refuses such quantities now, but events stored
 * before the bound existed stay in the log forever: scoring reads a stored quantity as the bound
 * says (at most 10^9; not a number or negative counts nothing), so engagement is always finite.
 *
 * <p>Given (the intermediate preset: report_created weighs 3 points, 30-day window), an hour before
 * the clock: "huge" created 1e308 reports, "infinite" +Infinity and "nan" NaN (bytes no ingest ever
 * accepted), and "plain" 40 reports (120 points).
 */
class StoredOutOfBoundsInputTest {

    @TempDir
    Path directory;

    private ScoringUseCases scoring;
    private long anHourAgo;

    @BeforeEach
    void given() {
        scoring = new ScoringUseCases(directory);
        Instant at = ScoringUseCases.NOW.minus(Duration.ofHours(1));
        anHourAgo = at.toEpochMilli();
        appendReports("huge", at, 1e308);
        appendReports("infinite", at, Double.POSITIVE_INFINITY);
        appendReports("nan", at, Double.NaN);
        appendReports("plain", at, 40);
        scoring.projections.start();
    }

    @AfterEach
    void close() {
        scoring.close();
    }

    private void appendReports(String accountId, Instant at, double quantity) {
        EventEnvelope reports = SampleHistory.envelope(accountId, 0, at, ProductAction.newBuilder().setUserId("u1")
                .setAction("report_created").setQuantity(quantity).build());
        scoring.store.append(StreamIds.forAccount(accountId), ExpectedVersion.ANY, List.of(reports));
    }

    @Test
    void engagementStaysFiniteWhateverQuantityWasStored() {
        for (String account : List.of("huge", "infinite", "nan", "plain")) {
            AccountScore current = scoring.queries.accountScore(account, null, 0, true);
            AccountScore asOf = scoring.queries.accountScore(account, anHourAgo, 0, true);

            assertThat(current.engagement().score()).as(account + " now").isFinite();
            assertThat(asOf.engagement().score()).as(account + " as of its event").isFinite();
            assertThat(current.engagement().percentile()).as(account + " percentile").isBetween(0.0, 100.0);
            assertThat(current.engagement().topActions()).allSatisfy(action -> {
                assertThat(action.quantity()).isFinite();
                assertThat(action.points()).isFinite();
            });
        }
        assertThat(scoring.queries.accountScore("nan", null, 0, false).engagement().score()).isZero();
    }

    @Test
    void aStoredQuantityCountsAsTheLargestAllowedOne() {
        double huge = scoring.queries.accountScore("huge", null, 0, false).engagement().score();
        double infinite = scoring.queries.accountScore("infinite", null, 0, false).engagement().score();
        double plain = scoring.queries.accountScore("plain", null, 0, false).engagement().score();

        // 3 points x 10^9 reports, decayed by an hour of a 14-day half-life, as the 40 reports are
        assertThat(huge / plain).isCloseTo(1e9 / 40, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(infinite).isEqualTo(huge);
    }
}
