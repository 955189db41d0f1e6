package pql.scoring.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountState;

/**
 * Segment snapshots as files, one per (processor, segment):
 * {@code <directory>/<processor>/segment-<id>.snap}. Written to a temporary file, forced to disk and
 * renamed over the previous one, so a crash leaves either the old or the new snapshot, never half of
 * one; a CRC32 trailer catches anything else, and a snapshot that fails it is ignored (its segment
 * replays from the start).
 */
public final class SegmentSnapshotStore implements SegmentCheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentSnapshotStore.class);
    private static final long MAGIC = 0x50514C534E415031L; // "PQLSNAP1"
    private static final String SUFFIX = ".snap";

    private final Path directory;

    public SegmentSnapshotStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    private Path processorDirectory(String processor) {
        return directory.resolve(processor);
    }

    private Path fileOf(String processor, int segmentId) {
        return processorDirectory(processor).resolve("segment-" + segmentId + SUFFIX);
    }

    /** Writes a segment's snapshot atomically; returns the bytes written. */
    public long write(String processor, int definitionVersion, int segmentId, int mask, long position,
            Collection<AccountState> accounts) {
        return write(processor, definitionVersion, segmentId, mask, position, accounts, () -> { });
    }

    /** One process owns these files: the claim check only runs first. */
    @Override
    public long write(String processor, int definitionVersion, int segmentId, int mask, long position,
            Collection<AccountState> accounts, Runnable claimCheck) {
        claimCheck.run();
        Path target = fileOf(processor, segmentId);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(channel);
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc),
                        1 << 16));
                out.writeLong(MAGIC);
                out.writeUTF(processor);
                out.writeInt(definitionVersion);
                out.writeInt(segmentId);
                out.writeInt(mask);
                out.writeLong(position);
                out.writeInt(accounts.size());
                for (AccountState account : accounts) {
                    account.writeTo(out);
                }
                out.flush();
                long checksum = crc.getValue();
                DataOutputStream trailer = new DataOutputStream(raw);
                trailer.writeLong(checksum);
                trailer.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the snapshot " + target, e);
        }
    }

    @Override
    public Optional<SegmentSnapshot> load(String processor, int segmentId, CompiledDefinition definition) {
        Path file = fileOf(processor, segmentId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            SegmentSnapshot snapshot = read(file, processor, definition);
            return snapshot.segmentId() == segmentId ? Optional.of(snapshot) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable snapshot {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Every readable snapshot of {@code processor}; unreadable ones are logged and skipped. */
    public List<SegmentSnapshot> loadAll(String processor, CompiledDefinition definition) {
        Path folder = processorDirectory(processor);
        List<SegmentSnapshot> snapshots = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return snapshots;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    snapshots.add(read(file, processor, definition));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("ignoring unreadable snapshot {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        snapshots.sort(Comparator.comparingInt(SegmentSnapshot::segmentId));
        return snapshots;
    }

    private static SegmentSnapshot read(Path file, String processor, CompiledDefinition definition) throws IOException {
        long size = Files.size(file);
        if (size < Long.BYTES * 2) {
            throw new IOException("too short");
        }
        CRC32 crc = new CRC32();
        try (InputStream raw = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(
                    new CheckedInputStream(new BoundedInputStream(raw, size - Long.BYTES), crc), 1 << 16));
            if (in.readLong() != MAGIC) {
                throw new IOException("not a snapshot");
            }
            String owner = in.readUTF();
            int version = in.readInt();
            if (!owner.equals(processor) || version != definition.version()) {
                throw new IOException("snapshot of " + owner + " v" + version + ", expected " + processor + " v"
                        + definition.version());
            }
            int segmentId = in.readInt();
            int mask = in.readInt();
            long position = in.readLong();
            int count = in.readInt();
            List<AccountState> accounts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                accounts.add(AccountState.readFrom(in, definition));
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
            long expected = new DataInputStream(raw).readLong();
            if (expected != crc.getValue()) {
                throw new IOException("checksum mismatch");
            }
            return new SegmentSnapshot(segmentId, mask, position, accounts);
        }
    }

    @Override
    public void deleteAll(String processor) {
        Path folder = processorDirectory(processor);
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }

    @Override
    public List<String> processors() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            // only folders holding snapshots: others under the data directory (known_at's "knowledge") are not processors
            return entries.filter(Files::isDirectory).filter(SegmentSnapshotStore::holdsSnapshots)
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static boolean holdsSnapshots(Path folder) {
        try (DirectoryStream<Path> snapshots = Files.newDirectoryStream(folder, "segment-*" + SUFFIX)) {
            return snapshots.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
