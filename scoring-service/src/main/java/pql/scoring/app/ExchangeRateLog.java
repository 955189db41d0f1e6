package pql.scoring.app;

import java.util.List;

/**
 * Port: the exchange rates recorded through ingest (the "pql-exchange-rates" stream), which
 * ScoringService lists for the forecast. Scoring does not use them itself; it serves them because
 * it is the service the forecast already reads its facts from (see forecast-service/README.md).
 */
public interface ExchangeRateLog {

    /** Rates with a sequence above {@code afterSequence}, in recording order. */
    List<Entry> after(long afterSequence);

    /** The highest sequence recorded so far, 0 if none. */
    long lastSequence();

    /**
     * One recorded rate, as ingest validated it.
     *
     * @param sequence 1, 2, 3... in recording order
     * @param rate exact plain decimal, e.g. "1.08"
     * @param effectiveDate "YYYY-MM-DD"
     */
    record Entry(long sequence, String eventId, String base, String quote, String rate, String effectiveDate,
            long recordedAtMillis) {
    }
}
