package pql.scoring;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.json.JacksonSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import pql.eventstore.config.EventStoreConfig;
import pql.eventstore.EventStore;
import pql.eventstore.postgres.PostgresEventStore;
import pql.scoring.app.ProcessorMembership;
import pql.scoring.axon.ProjectionRunner;
import pql.scoring.store.JdbcTransactions;
import pql.scoring.store.PostgresCheckpointStore;
import pql.scoring.store.PostgresMembership;
import pql.scoring.store.SegmentCheckpointStore;
import pql.scoring.store.SegmentSnapshotStore;

/**
 * How this process shares its projections: alone (claims in memory, checkpoints as files), or with every
 * scoring process on the same PostgreSQL (the store's, or one configured beside another engine): Axon's {@code JdbcTokenStore} for claims (Jackson-serialized
 * tokens, Postgres table factory), checkpoints ({@link PostgresCheckpointStore}) and heartbeats
 * ({@link PostgresMembership}) in the store's schema, all on the store's connection pool and in the same
 * transactions ({@link JdbcTransactions}).
 */
final class DistributedScoring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedScoring.class);

    private final ProjectionRunner.Sharing sharing;
    private final SegmentCheckpointStore checkpoints;
    private final AutoCloseable ownedPool;

    private DistributedScoring(ProjectionRunner.Sharing sharing, SegmentCheckpointStore checkpoints,
            AutoCloseable ownedPool) {
        this.sharing = sharing;
        this.checkpoints = checkpoints;
        this.ownedPool = ownedPool;
    }

    static DistributedScoring local(TokenStore tokens, ScoringSettings settings) {
        return new DistributedScoring(ProjectionRunner.Sharing.local(tokens),
                new SegmentSnapshotStore(Path.of(settings.getDataDirectory())), () -> { });
    }

    /**
     * Shared through PostgreSQL, or alone: a configured {@code distributed.sharedState.url} wins (any store
     * engine, e.g. KurrentDB with a PostgreSQL beside it), else a PostgreSQL store's own schema, else
     * nothing (null: this process owns its projections).
     */
    static DistributedScoring forStore(EventStore store, ScoringSettings.Distributed settings) {
        EventStoreConfig.PostgresSection shared = settings.getSharedState();
        if (!shared.getUrl().isBlank()) {
            HikariDataSource pool = shared.toOptions().createDataSource("scoring-shared-state");
            try {
                createSchema(pool, shared.getSchema());
                return open(pool, shared.getSchema(), settings, pool);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }
        if (store instanceof PostgresEventStore postgres) {
            return open(postgres.dataSource(), postgres.schemaName(), settings, () -> { });
        }
        return null;
    }

    private static void createSchema(DataSource pool, String schema) {
        try (Connection connection = pool.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the scoring schema " + schema + ": " + e.getMessage(), e);
        }
    }

    private static DistributedScoring open(DataSource dataSource, String schema, ScoringSettings.Distributed settings,
            AutoCloseable ownedPool) {
        String nodeId = settings.getNodeId().isBlank() ? ManagementFactory.getRuntimeMXBean().getName()
                : settings.getNodeId();
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        JdbcTokenStore tokens = JdbcTokenStore.builder()
                .connectionProvider(transactions)
                .serializer(JacksonSerializer.defaultSerializer())
                .schema(TokenSchema.builder().setTokenTable(schema + ".scoring_token_entry").build())
                .claimTimeout(settings.getClaimTimeout().toJavaDuration())
                .nodeId(nodeId)
                .build();
        transactions.executeInTransaction(() -> {
            try (Connection connection = transactions.getConnection(); Statement lock = connection.createStatement()) {
                // processes starting together must not race on the DDL
                lock.execute("SELECT pg_advisory_xact_lock(" + (schema + ".scoring").hashCode() + ")");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot lock the scoring schema: " + e.getMessage(), e);
            }
            tokens.createSchema(PostgresTokenTableFactory.INSTANCE);
        });
        ProcessorMembership membership = PostgresMembership.open(transactions, schema, nodeId,
                settings.getHeartbeatInterval().toJavaDuration(), settings.getNodeTimeout().toJavaDuration());
        LOG.info("scoring shares its projections through PostgreSQL schema {} as node {}", schema, nodeId);
        return new DistributedScoring(new ProjectionRunner.Sharing(tokens, transactions, membership,
                settings.getClaimInterval().toJavaDuration()), PostgresCheckpointStore.open(transactions, schema),
                ownedPool);
    }

    ProjectionRunner.Sharing sharing() {
        return sharing;
    }

    SegmentCheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public void close() {
        sharing.membership().close();
        try {
            ownedPool.close();
        } catch (Exception e) {
            LOG.warn("closing the scoring shared-state pool failed: {}", e.getMessage());
        }
    }
}
