package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.scoring.domain.Level;
import pql.scoring.domain.score.AccountScore;

/**
 * Issue #11's first finding: without as_of, each account used to be evaluated as of its own newest
 * event, so an account that simply stopped using the product stayed frozen at its peak (a Silent
 * Success instead of a Fizzler). Every read now evaluates every account at one instant: as_of, else the
 * clock at the request.
 *
 * <p>Given (the intermediate preset: engagement HIGH >= 100 points in a 30-day window with a 14-day
 * half-life; trigger "invoice_submitted >= 10 within 14 days"), the clock at 2026-02-01 12:00 and every
 * event on 2026-01-01: "silent" completed the checklist and created 40 reports (120 points) on its first
 * day and was never seen again; "invoicer" submitted 10 invoices on its first day (a PQL by trigger)
 * and did nothing else.
 */
class EvaluationInstantTest {

    @TempDir
    Path directory;

    private ScoringUseCases scoring;
    private long now;
    private long silentsLastEvent;

    @BeforeEach
    void given() {
        scoring = new ScoringUseCases(directory);
        scoring.account("silent").stepsDone(6).actions("report_created", 40).append();
        scoring.account("invoicer").stepsDone(1).actions("invoice_submitted", 10).append();
        scoring.projections.start();
        now = ScoringUseCases.NOW.toEpochMilli();
        silentsLastEvent = ScoringUseCases.TRIAL_START.plus(Duration.ofMinutes(9 + 40)).toEpochMilli();
    }

    @AfterEach
    void close() {
        scoring.close();
    }

    @Test
    void anAccountThatWentSilentHasDecayedNowThoughItWasHighlyEngagedAtItsLastEvent() {
        AccountScore atItsPeak = scoring.queries.accountScore("silent", silentsLastEvent, 0, false);
        AccountScore current = scoring.queries.accountScore("silent", null, 0, false);

        assertThat(atItsPeak.engagement().level()).isEqualTo(Level.HIGH);
        assertThat(current.asOf()).isEqualTo(now);
        assertThat(current.engagement().score()).isZero(); // every action left the 30-day window
        assertThat(current.engagement().level()).isEqualTo(Level.LOW);
        assertThat(current.activation().level()).as("activation does not decay").isEqualTo(Level.HIGH);
    }

    @Test
    void theSpectrumFiltersAndRanksAtTheInstantOfTheRequest() {
        AccountFilter highlyEngaged = new AccountFilter(false, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
                Set.of(Level.HIGH), Set.of(), false);

        ScoreQueries.ScorePage current = scoring.queries.list(highlyEngaged, AccountOrder.ACCOUNT_ID, 10, null, 0,
                false, null);
        ScoreQueries.ScorePage atThePeak = scoring.queries.list(highlyEngaged, AccountOrder.ACCOUNT_ID, 10, null, 0,
                false, silentsLastEvent);

        assertThat(current.totalSize()).isZero();
        assertThat(current.instant()).isEqualTo(now);
        assertThat(atThePeak.scores()).extracting(AccountScore::accountId).containsExactly("silent");
        assertThat(atThePeak.instant()).isEqualTo(silentsLastEvent);
    }

    @Test
    void anExportEvaluatesEveryAccountAtTheSameInstant() {
        List<AccountScore> exported = new ArrayList<>();
        try (ScoreQueries.Export export = scoring.queries.export(AccountFilter.ALL, 0, null, false, 0)) {
            export.forEachRemaining(exported::addAll);
            assertThat(export.instant()).isEqualTo(now);
        }

        assertThat(exported).extracting(AccountScore::asOf).containsOnly(now);
        assertThat(exported).filteredOn(score -> score.accountId().equals("silent"))
                .extracting(score -> score.engagement().level()).containsExactly(Level.LOW);
    }

    @Test
    void aQualifiedAccountStaysAPqlAfterItsTriggerLapsedUntilItsTrialCloses() {
        long tenthInvoice = ScoringUseCases.TRIAL_START.plus(Duration.ofMinutes(1 + 10)).toEpochMilli();

        AccountScore current = scoring.queries.accountScore("invoicer", null, 0, true);

        assertThat(current.pql().kinds()).as("10 invoices within 14 days no longer holds a month later").isEmpty();
        assertThat(current.pql().isPql()).isTrue();
        assertThat(current.pql().qualifiedAt()).isEqualTo(tenthInvoice);
        assertThat(current.pql().explanations()).extracting(explanation -> explanation.rule())
                .startsWith("pql.qualified");
        AccountFilter pqlOnly = new AccountFilter(true, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
                Set.of(), false);
        assertThat(scoring.queries.list(pqlOnly, AccountOrder.ACCOUNT_ID, 10, null, 0, false, null).scores())
                .extracting(AccountScore::accountId).contains("invoicer");
    }

    @Test
    void theSameLogAndInstantGiveTheSameAnswer() {
        AccountScore first = scoring.queries.accountScore("silent", null, 0, true);
        AccountScore again = scoring.queries.accountScore("silent", now, 0, true);

        assertThat(again).isEqualTo(first);
    }
}
