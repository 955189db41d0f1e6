package pql.scoring.store;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountState;

/**
 * Segment checkpoints in PostgreSQL, readable by every scoring process sharing the store: a header row
 * per (processor, segment) (definition version, mask, position, size, CRC32) and the snapshot's bytes
 * in parts of at most {@value #PART_BYTES} bytes (bytea), so a segment of any size streams in bounded
 * memory. A checkpoint is written in the transaction of {@link JdbcTransactions} that also stores the
 * segment's Axon token (the claim check): a process that lost its claim cannot overwrite the new
 * owner's checkpoint, and a reader sees either the old checkpoint or the new one, whole.
 */
public final class PostgresCheckpointStore implements SegmentCheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCheckpointStore.class);
    static final int PART_BYTES = 4 << 20;
    private static final int FORMAT = 1;

    private final JdbcTransactions transactions;
    private final String checkpoints;
    private final String parts;

    private PostgresCheckpointStore(JdbcTransactions transactions, String schema) {
        this.transactions = transactions;
        this.checkpoints = schema + ".scoring_checkpoint";
        this.parts = schema + ".scoring_checkpoint_part";
    }

    /** Opens the store on {@code schema} (a trusted identifier), creating its tables if needed. */
    public static PostgresCheckpointStore open(JdbcTransactions transactions, String schema) {
        PostgresCheckpointStore store = new PostgresCheckpointStore(transactions, schema);
        store.createTables(schema);
        return store;
    }

    private void createTables(String schema) {
        transactions.executeInTransaction(() -> {
            try (Connection connection = transactions.getConnection(); Statement ddl = connection.createStatement()) {
                // several processes may start at once: serialise their DDL
                ddl.execute("SELECT pg_advisory_xact_lock(" + (schema + ".scoring").hashCode() + ")");
                ddl.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                ddl.execute("CREATE TABLE IF NOT EXISTS " + checkpoints + " ("
                        + "processor_name TEXT NOT NULL, segment INTEGER NOT NULL, format INTEGER NOT NULL, "
                        + "definition_version INTEGER NOT NULL, mask INTEGER NOT NULL, position BIGINT NOT NULL, "
                        + "accounts INTEGER NOT NULL, parts INTEGER NOT NULL, bytes BIGINT NOT NULL, crc BIGINT NOT NULL, "
                        + "written_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
                        + "PRIMARY KEY (processor_name, segment))");
                ddl.execute("CREATE TABLE IF NOT EXISTS " + parts + " ("
                        + "processor_name TEXT NOT NULL, segment INTEGER NOT NULL, part INTEGER NOT NULL, "
                        + "data BYTEA NOT NULL, PRIMARY KEY (processor_name, segment, part))");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the checkpoint tables: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public long write(String processor, int definitionVersion, int segmentId, int mask, long position,
            Collection<AccountState> accounts, Runnable claimCheck) {
        return transactions.fetchInTransaction(() -> {
            claimCheck.run();
            try (Connection connection = transactions.getConnection()) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + parts + " WHERE processor_name = ? AND segment = ?")) {
                    delete.setString(1, processor);
                    delete.setInt(2, segmentId);
                    delete.executeUpdate();
                }
                PartWriter partWriter = new PartWriter(connection, processor, segmentId);
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        new CheckedOutputStream(partWriter, crc), 1 << 16));
                for (AccountState account : accounts) {
                    account.writeTo(out);
                }
                out.flush();
                partWriter.close();
                try (PreparedStatement header = connection.prepareStatement("INSERT INTO " + checkpoints
                        + " (processor_name, segment, format, definition_version, mask, position, accounts, parts, bytes, crc)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (processor_name, segment) DO UPDATE SET"
                        + " format = EXCLUDED.format, definition_version = EXCLUDED.definition_version,"
                        + " mask = EXCLUDED.mask, position = EXCLUDED.position, accounts = EXCLUDED.accounts,"
                        + " parts = EXCLUDED.parts, bytes = EXCLUDED.bytes, crc = EXCLUDED.crc, written_at = now()")) {
                    header.setString(1, processor);
                    header.setInt(2, segmentId);
                    header.setInt(3, FORMAT);
                    header.setInt(4, definitionVersion);
                    header.setInt(5, mask);
                    header.setLong(6, position);
                    header.setInt(7, accounts.size());
                    header.setInt(8, partWriter.parts);
                    header.setLong(9, partWriter.total);
                    header.setLong(10, crc.getValue());
                    header.executeUpdate();
                }
                return partWriter.total;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot write the checkpoint of " + processor + " segment " + segmentId
                        + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Buffers the snapshot's bytes and inserts a part row every {@link #PART_BYTES}. */
    private final class PartWriter extends OutputStream {
        private final PreparedStatement insert;
        private final String processor;
        private final int segmentId;
        private final byte[] buffer = new byte[PART_BYTES];
        private int filled;
        int parts;
        long total;

        PartWriter(Connection connection, String processor, int segmentId) throws SQLException {
            this.insert = connection.prepareStatement(
                    "INSERT INTO " + PostgresCheckpointStore.this.parts + " (processor_name, segment, part, data)"
                            + " VALUES (?, ?, ?, ?)");
            this.processor = processor;
            this.segmentId = segmentId;
        }

        @Override
        public void write(int b) throws IOException {
            if (filled == buffer.length) {
                flushPart();
            }
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (filled == buffer.length) {
                    flushPart();
                }
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
            }
        }

        void flushPart() throws IOException {
            if (filled == 0) {
                return;
            }
            try {
                insert.setString(1, processor);
                insert.setInt(2, segmentId);
                insert.setInt(3, parts);
                insert.setBinaryStream(4, new ByteArrayInputStream(buffer, 0, filled), filled);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IOException("cannot insert part " + parts + ": " + e.getMessage(), e);
            }
            parts++;
            total += filled;
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            flushPart();
            try {
                insert.close();
            } catch (SQLException ignored) {
                // the transaction's end closes it anyway
            }
        }
    }

    @Override
    public Optional<SegmentSnapshot> load(String processor, int segmentId, CompiledDefinition definition) {
        return transactions.fetchInTransaction(() -> {
            try (Connection connection = transactions.getConnection();
                    PreparedStatement header = connection.prepareStatement("SELECT format, definition_version, mask, "
                            + "position, accounts, parts, crc FROM " + checkpoints
                            + " WHERE processor_name = ? AND segment = ?")) {
                header.setString(1, processor);
                header.setInt(2, segmentId);
                try (ResultSet row = header.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    if (row.getInt(1) != FORMAT || row.getInt(2) != definition.version()) {
                        LOG.warn("ignoring the checkpoint of {} segment {}: format {} of definition v{}", processor,
                                segmentId, row.getInt(1), row.getInt(2));
                        return Optional.empty();
                    }
                    int mask = row.getInt(3);
                    long position = row.getLong(4);
                    int count = row.getInt(5);
                    int partCount = row.getInt(6);
                    long expectedCrc = row.getLong(7);
                    CRC32 crc = new CRC32();
                    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                            new CheckedInputStream(new PartReader(connection, processor, segmentId, partCount), crc),
                            1 << 16))) {
                        List<AccountState> accounts = new ArrayList<>(count);
                        for (int i = 0; i < count; i++) {
                            accounts.add(AccountState.readFrom(in, definition));
                        }
                        if (in.read() != -1 || crc.getValue() != expectedCrc) {
                            LOG.warn("ignoring the checkpoint of {} segment {}: it does not check out", processor,
                                    segmentId);
                            return Optional.empty();
                        }
                        return Optional.of(new SegmentSnapshot(segmentId, mask, position, accounts));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the checkpoint of " + processor + " segment " + segmentId
                        + ": " + e.getMessage(), e);
            } catch (IOException e) {
                LOG.warn("ignoring the unreadable checkpoint of {} segment {}: {}", processor, segmentId, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** The parts of one snapshot in order, one row at a time. */
    private final class PartReader extends InputStream {
        private final PreparedStatement select;
        private final int partCount;
        private int next;
        private InputStream current = InputStream.nullInputStream();

        PartReader(Connection connection, String processor, int segmentId, int partCount) throws SQLException {
            this.select = connection.prepareStatement(
                    "SELECT data FROM " + parts + " WHERE processor_name = ? AND segment = ? AND part = ?");
            this.select.setString(1, processor);
            this.select.setInt(2, segmentId);
            this.partCount = partCount;
        }

        private boolean advance() throws IOException {
            if (next >= partCount) {
                return false;
            }
            try {
                select.setInt(3, next);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new IOException("part " + next + " is missing");
                    }
                    current = new ByteArrayInputStream(row.getBytes(1));
                }
            } catch (SQLException e) {
                throw new IOException("cannot read part " + next + ": " + e.getMessage(), e);
            }
            next++;
            return true;
        }

        @Override
        public int read() throws IOException {
            int b;
            while ((b = current.read()) < 0) {
                if (!advance()) {
                    return -1;
                }
            }
            return b;
        }

        @Override
        public void close() {
            try {
                select.close();
            } catch (SQLException ignored) {
                // the transaction's end closes it anyway
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            while ((n = current.read(buffer, offset, length)) <= 0 && length > 0) {
                if (!advance()) {
                    return -1;
                }
            }
            return n;
        }
    }

    @Override
    public void deleteAll(String processor) {
        transactions.executeInTransaction(() -> {
            try (Connection connection = transactions.getConnection()) {
                for (String table : List.of(parts, checkpoints)) {
                    try (PreparedStatement delete = connection.prepareStatement(
                            "DELETE FROM " + table + " WHERE processor_name = ?")) {
                        delete.setString(1, processor);
                        delete.executeUpdate();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot delete the checkpoints of " + processor + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public List<String> processors() {
        try (Connection connection = transactions.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT DISTINCT processor_name FROM " + checkpoints + " ORDER BY 1");
                ResultSet rows = query.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list checkpoints: " + e.getMessage(), e);
        }
    }
}
