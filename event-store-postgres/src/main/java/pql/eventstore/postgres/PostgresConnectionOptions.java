package pql.eventstore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL event store lives and how many connections it may use; built from a
 * service's YAML ({@code url, user, password, poolSize}).
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://db:5432/pql}
 * @param user database user
 * @param password database password (never printed by {@link #toString()})
 * @param poolSize connections in the pool; one of them at a time is the writer's, the others serve
 *     reads (and whoever shares the pool, e.g. the Axon token store)
 * @param schema the schema holding the store's tables, created if missing; a lower-case SQL
 *     identifier so several stores (or test runs) can share one database
 * @param connectionTimeout how long a caller waits for a pooled connection before the store
 *     reports itself unavailable (server down) or overloaded (every connection busy)
 */
public record PostgresConnectionOptions(String jdbcUrl, String user, String password, int poolSize, String schema,
        Duration connectionTimeout) {

    public static final String DEFAULT_SCHEMA = "pql_event_store";
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /** Lower-case identifier; short enough that "{@code <schema>_appended}" fits PostgreSQL's 63-byte names. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,47}");

    public PostgresConnectionOptions {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("a jdbc:postgresql: URL is required");
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("a database user is required");
        }
        if (password == null) {
            password = "";
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("the pool needs at least 2 connections (writer and reader): " + poolSize);
        }
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case identifier of at most 48 characters: " + schema);
        }
        if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection timeout must be at least 250 ms");
        }
    }

    /** Default pool size, schema and timeout. */
    public static PostgresConnectionOptions of(String jdbcUrl, String user, String password) {
        return new PostgresConnectionOptions(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_SCHEMA,
                DEFAULT_CONNECTION_TIMEOUT);
    }

    public PostgresConnectionOptions withPoolSize(int poolSize) {
        return new PostgresConnectionOptions(jdbcUrl, user, password, poolSize, schema, connectionTimeout);
    }

    public PostgresConnectionOptions withSchema(String schema) {
        return new PostgresConnectionOptions(jdbcUrl, user, password, poolSize, schema, connectionTimeout);
    }

    public PostgresConnectionOptions withConnectionTimeout(Duration connectionTimeout) {
        return new PostgresConnectionOptions(jdbcUrl, user, password, poolSize, schema, connectionTimeout);
    }

    /**
     * A new connection pool on these settings; the caller closes it. The event store makes its
     * own; other modules can use this for a pool of their own on the same database.
     */
    public HikariDataSource createDataSource(String poolName) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 2_000));
        config.setDataSourceProperties(driverProperties(poolName));
        return new HikariDataSource(config);
    }

    /** Driver settings shared by the pool and the store's listening connection. */
    Properties driverProperties(String applicationName) {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, connectionTimeout.toSeconds())));
        return properties;
    }

    @Override
    public String toString() {
        return "PostgresConnectionOptions[jdbcUrl=" + jdbcUrl + ", user=" + user + ", poolSize=" + poolSize
                + ", schema=" + schema + ", connectionTimeout=" + connectionTimeout + "]";
    }
}
