package pql.scoring.store;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.app.ExchangeRateLog;
import pql.scoring.wire.EnvelopeDecoder;
import pql.v1.EventEnvelope;
import pql.v1.ExchangeRate;

/**
 * The "pql-exchange-rates" stream, read incrementally: each call reads only what was appended
 * since the last one and keeps every rate in memory (a few thousand a year, tens of bytes each).
 */
public final class StoreExchangeRateLog implements ExchangeRateLog {

    private static final String TYPE = ExchangeRate.getDescriptor().getFullName();
    private static final int PAGE = 500;

    private final EventStore store;
    private final List<Entry> entries = new ArrayList<>();
    private long nextStreamVersion;

    public StoreExchangeRateLog(EventStore store) {
        this.store = store;
    }

    @Override
    public synchronized List<Entry> after(long afterSequence) {
        catchUp();
        int from = (int) Math.min(Math.max(afterSequence, 0), entries.size());
        return List.copyOf(entries.subList(from, entries.size()));
    }

    @Override
    public synchronized long lastSequence() {
        catchUp();
        return entries.size();
    }

    private void catchUp() {
        List<StoredEvent> page;
        do {
            page = store.readStream(StreamIds.EXCHANGE_RATES, nextStreamVersion, PAGE);
            for (StoredEvent event : page) {
                entries.add(decode(event, entries.size() + 1));
                nextStreamVersion = event.streamVersion() + 1;
            }
        } while (page.size() == PAGE);
    }

    private static Entry decode(StoredEvent event, long sequence) {
        EventEnvelope envelope = event.envelope();
        if (!TYPE.equals(envelope.getType())) {
            throw new IllegalStateException("unexpected " + envelope.getType() + " in " + StreamIds.EXCHANGE_RATES);
        }
        try {
            ExchangeRate rate = ExchangeRate.parseFrom(envelope.getPayload());
            return new Entry(sequence, envelope.getEventId(), rate.getBase(), rate.getQuote(), rate.getRate(),
                    rate.getEffectiveDate(), EnvelopeDecoder.millis(envelope.getRecordedAt()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt exchange rate at version " + event.streamVersion(), e);
        }
    }
}
