package pql.eventstore.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on the store's channel on a connection of its own (outside the pool: it is held for
 * the store's lifetime) and reports every head a writer (of any process) commits. After each
 * (re)connection it reads the head once, so commits made while it was not listening are not
 * missed. Reconnects with a growing pause while the server is away.
 */
final class HeadListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeadListener.class);
    private static final int WAIT_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final PostgresConnectionOptions options;
    private final EventStoreSchema schema;
    private final LongConsumer onHead;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;

    HeadListener(PostgresConnectionOptions options, EventStoreSchema schema, LongConsumer onHead) {
        this.options = options;
        this.schema = schema;
        this.onHead = onHead;
        this.thread = new Thread(this::run, "postgres-store-listener-" + schema.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** True while notifications are being received; readers poll more often when false. */
    boolean isListening() {
        return listening;
    }

    private void run() {
        long backoff = 50;
        while (running) {
            try (Connection connection = connect()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN \"" + schema.channel() + "\"");
                }
                onHead.accept(readHead(connection));
                listening = true;
                backoff = 50;
                receive(connection.unwrap(PGConnection.class));
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.debug("event store listener lost its connection, reconnecting in {} ms: {}", backoff, e.getMessage());
                }
            } finally {
                listening = false;
            }
            pause(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private void receive(PGConnection connection) throws SQLException {
        while (running) {
            PGNotification[] notifications = connection.getNotifications(WAIT_MILLIS);
            if (notifications == null) {
                continue;
            }
            long newest = -1;
            for (PGNotification notification : notifications) {
                try {
                    newest = Math.max(newest, Long.parseLong(notification.getParameter()));
                } catch (NumberFormatException ignored) {
                    // not one of ours: someone else NOTIFYing on the channel
                }
            }
            if (newest >= 0) {
                onHead.accept(newest);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = options.driverProperties("pql-event-store-listener");
        properties.setProperty("user", options.user());
        properties.setProperty("password", options.password());
        return DriverManager.getConnection(options.jdbcUrl(), properties);
    }

    private long readHead(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet row = query.executeQuery("SELECT last_position FROM " + schema.name() + ".log_head WHERE id = 1")) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    private void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
