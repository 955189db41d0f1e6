package pql.forecast.app;

import java.util.Iterator;
import java.util.List;
import pql.forecast.domain.AccountSnapshot;

/**
 * Where account scores and definitions come from (scoring-service). Every method throws
 * {@link ForecastException} when it cannot answer.
 */
public interface ScoresSource {

    /** A definition version (0 = the active one) with its persona odds. NOT_FOUND if unknown. */
    DefinitionOdds definition(int version);

    /**
     * Every account's score under {@code version} (never 0), as of an instant or now (scoring's
     * clock, to the second); with {@code changedAfterPosition} > 0 (and no as-of) only accounts
     * changed by events since that log position.
     */
    default ScoreExport export(int version, Long asOfEpochMillis, long changedAfterPosition) {
        return export(version, asOfEpochMillis, null, changedAfterPosition);
    }

    /**
     * As {@link #export(int, Long, long)}, counting only the events recorded at or before
     * {@code knownAtEpochMillis} (null: everything recorded so far); the export's head position is then
     * the log position that knowledge includes.
     */
    ScoreExport export(int version, Long asOfEpochMillis, Long knownAtEpochMillis, long changedAfterPosition);

    /** One account's score; NOT_FOUND if scoring does not know it. */
    default AccountSnapshot account(String accountId, int version, Long asOfEpochMillis) {
        return account(accountId, version, asOfEpochMillis, null);
    }

    /** One account's score from the events recorded at or before {@code knownAtEpochMillis} (null: all). */
    AccountSnapshot account(String accountId, int version, Long asOfEpochMillis, Long knownAtEpochMillis);

    /** Chunks of scores as they arrive. Close it to stop early. */
    interface ScoreExport extends Iterator<List<AccountSnapshot>>, AutoCloseable {

        /** The scoring projection's log position when the export started (known after the first chunk). */
        long headPosition();

        /** The instant scoring evaluated every account of the export at, epoch ms (known after the first chunk). */
        long asOfEpochMillis();

        @Override
        void close();
    }
}
