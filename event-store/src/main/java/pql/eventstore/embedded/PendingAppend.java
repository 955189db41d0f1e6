package pql.eventstore.embedded;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import pql.eventstore.AppendResult;

/**
 * One {@code appendAsync} call waiting for the sequencer: its prepared requests, the write-queue
 * permits it holds (released once it is durable or failed) and the future its caller waits on.
 */
record PendingAppend(List<PreparedRequest> requests, int permits, CompletableFuture<List<AppendResult>> result) {
}
