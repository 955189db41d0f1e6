package pql.bench;

import java.util.List;
import pql.eventstore.AppendRequest;

/** Something that durably stores batches of events: an engine or the plain baseline. */
interface AppendTarget extends AutoCloseable {

    String name();

    /** Stores every batch, keeping {@code inFlight} batches outstanding; returns when all are durable. */
    void appendAll(List<List<AppendRequest>> batches, int inFlight) throws Exception;

    @Override
    void close() throws Exception;
}
