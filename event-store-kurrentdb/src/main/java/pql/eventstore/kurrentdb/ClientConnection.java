package pql.eventstore.kurrentdb;

import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBClientSettings;
import io.kurrent.dbclient.KurrentDBConnectionString;
import pql.eventstore.EventStoreUnavailableException;

/**
 * The store's KurrentDB client, created again whenever the current one has closed itself.
 *
 * <p>A client that fails to (re)connect within its discovery attempts shuts down for good and
 * answers every later call with a ConnectionShutdownException. The store must not stay bound to
 * it: each caller asks for {@link #client()}, which replaces a shut-down client with a fresh one,
 * so the store recovers as soon as the server is back.
 */
final class ClientConnection implements AutoCloseable {

    private final KurrentDBClientSettings settings;
    private KurrentDBClient client;
    private int generation;
    private boolean closed;

    ClientConnection(String connectionString) {
        this.settings = KurrentDBConnectionString.parseOrThrow(connectionString);
    }

    synchronized KurrentDBClient client() {
        if (closed) {
            throw new EventStoreUnavailableException("the KurrentDB event store is closed");
        }
        if (client == null || client.isShutdown()) {
            client = KurrentDBClient.create(settings);
            generation++;
        }
        return client;
    }

    /** How many clients were created so far: the first, then one per recovery. */
    synchronized int generation() {
        return generation;
    }

    @Override
    public void close() {
        KurrentDBClient last;
        synchronized (this) {
            closed = true;
            last = client;
            client = null;
        }
        if (last != null && !last.isShutdown()) {
            last.shutdown();
        }
    }
}
