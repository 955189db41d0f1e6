package pql.scoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertJournalTest {

    @TempDir
    Path directory;

    private static final byte[] BODY = {1, 2, 3};

    @Test
    void givenAJournaledAlert_whenItIsDerivedAgainBeforeOrAfterAReopen_thenItIsNotPendingTwice() {
        Path file = directory.resolve("journal.log");
        try (AlertJournal journal = new AlertJournal(file)) {
            assertThat(journal.pend("sub-1", "id-1", 100, 1_000, BODY)).isTrue();
            assertThat(journal.pend("sub-1", "id-1", 100, 1_001, BODY)).isFalse();
            assertThat(journal.pend("sub-2", "id-1", 100, 1_001, BODY)).as("another subscription").isTrue();
            assertThat(journal.pend("sub-1", "id-2", 200, 1_002, BODY)).isTrue();
        }
        try (AlertJournal reopened = new AlertJournal(file)) {
            assertThat(reopened.pend("sub-1", "id-1", 100, 2_000, BODY)).isFalse();
            AlertJournal.Pending head = reopened.head("sub-1");
            assertThat(head.alertId()).isEqualTo("id-1");
            assertThat(head.pendingSince()).isEqualTo(1_000);
            assertThat(head.transition()).containsExactly(BODY);
            assertThat(reopened.pendingCount("sub-1")).isEqualTo(2);

            reopened.delivered(head);
            reopened.parked(reopened.head("sub-1"));
        }
        try (AlertJournal again = new AlertJournal(file)) {
            assertThat(again.head("sub-1")).isNull();
            assertThat(again.counts("sub-1")).isEqualTo(new AlertJournal.Counts(1, 1, 0));
            assertThat(again.pend("sub-1", "id-2", 200, 3_000, BODY)).as("parked is settled too").isFalse();
            assertThat(again.head("sub-2").alertId()).isEqualTo("id-1");
        }
    }

    @Test
    void givenALineTornByACrash_whenReopened_thenEverythingBeforeItIsKeptAndTheTornLineIgnored() throws Exception {
        Path file = directory.resolve("journal.log");
        try (AlertJournal journal = new AlertJournal(file)) {
            journal.pend("sub-1", "id-1", 100, 1_000, BODY);
        }
        Files.writeString(file, "1234abcd P sub-1 id-9 10", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (AlertJournal reopened = new AlertJournal(file)) {
            assertThat(reopened.pendingCount("sub-1")).isEqualTo(1);
        }
    }

    @Test
    void givenARemovedSubscription_thenItsPendingAlertsAreGoneAfterAReopen() {
        Path file = directory.resolve("journal.log");
        try (AlertJournal journal = new AlertJournal(file)) {
            journal.pend("sub-1", "id-1", 100, 1_000, BODY);
            journal.removed("sub-1");
        }
        try (AlertJournal reopened = new AlertJournal(file)) {
            assertThat(reopened.head("sub-1")).isNull();
        }
    }

    @Test
    void givenALargeJournal_whenCompacted_thenPendingAlertsCountersAndRecentIdsSurviveAndOldIdsAreForgotten() throws Exception {
        Path file = directory.resolve("journal.log");
        try (AlertJournal journal = new AlertJournal(file, 10)) {
            for (int i = 0; i < 20; i++) {
                journal.pend("sub-1", "old-" + i, 1_000 + i, 5_000, BODY);
                journal.delivered(journal.head("sub-1"));
            }
            journal.pend("sub-1", "recent-delivered", 90_000, 95_000, BODY);
            journal.delivered(journal.head("sub-1"));
            journal.pend("sub-1", "old-but-pending", 2_000, 95_000, BODY);
            journal.summaryPosted("sub-1");
            long before = Files.size(file);

            journal.compactIfLarge(50_000);

            assertThat(Files.size(file)).isLessThan(before);
            assertThat(journal.pend("sub-1", "recent-delivered", 90_000, 99_000, BODY)).isFalse();
        }
        try (AlertJournal reopened = new AlertJournal(file, 10)) {
            assertThat(reopened.counts("sub-1")).isEqualTo(new AlertJournal.Counts(21, 0, 1));
            assertThat(reopened.head("sub-1").alertId()).isEqualTo("old-but-pending");
            assertThat(reopened.pend("sub-1", "recent-delivered", 90_000, 99_000, BODY)).isFalse();
            assertThat(reopened.pend("sub-1", "old-3", 1_003, 99_000, BODY)).as("forgotten: too old to be news again")
                    .isTrue();
        }
    }
}
