package pql.eventstore;

import pql.v1.EventEnvelope;

/**
 * An event as the store keeps it: its envelope and where it sits.
 *
 * @param globalPosition position in the global log; strictly increasing in log order, not
 *     necessarily dense (KurrentDB positions are byte offsets)
 */
public record StoredEvent(String streamId, long streamVersion, long globalPosition, EventEnvelope envelope) {
}
