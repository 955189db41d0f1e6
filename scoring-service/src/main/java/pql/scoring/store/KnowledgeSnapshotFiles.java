package pql.scoring.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.scoring.app.KnowledgeSnapshotStore;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountState;

/**
 * Knowledge snapshots as files: {@code <directory>/v<version>/segment-<id>-mask-<mask>-at-<position>.snap},
 * a header (magic, version, segment, mask, position, account count), the states, and a CRC32 of all
 * of it. Written to a temporary file and renamed, never forced to disk: after a crash a snapshot is
 * either whole, or fails its checksum and is skipped (the read folds from an older one).
 */
public final class KnowledgeSnapshotFiles implements KnowledgeSnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeSnapshotFiles.class);
    private static final long MAGIC = 0x50514C4B4E4F5731L; // "PQLKNOW1"
    private static final Pattern NAME = Pattern.compile("segment-(\\d+)-mask-(\\d+)-at-(-?\\d+)\\.snap");

    private final Path directory;

    public KnowledgeSnapshotFiles(Path directory) {
        this.directory = directory;
    }

    private Path versionDirectory(int version) {
        return directory.resolve("v" + version);
    }

    private Path fileOf(Entry entry) {
        return versionDirectory(entry.version()).resolve("segment-" + entry.segmentId() + "-mask-" + entry.mask() + "-at-"
                + entry.position() + ".snap");
    }

    @Override
    public Entry write(Entry entry, List<byte[]> states) throws IOException {
        Path target = fileOf(entry);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.createDirectories(target.getParent());
        CRC32 crc = new CRC32();
        byte[] header = header(entry);
        crc.update(header);
        try (OutputStream raw = Files.newOutputStream(temporary);
                DataOutputStream out = new DataOutputStream(raw)) {
            out.write(header);
            for (byte[] chunk : states) {
                crc.update(chunk);
                out.write(chunk);
            }
            out.writeLong(crc.getValue());
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Entry(entry.version(), entry.segmentId(), entry.mask(), entry.position(), entry.accounts(),
                Files.size(target));
    }

    private static byte[] header(Entry entry) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(MAGIC);
            out.writeInt(entry.version());
            out.writeInt(entry.segmentId());
            out.writeInt(entry.mask());
            out.writeLong(entry.position());
            out.writeInt(entry.accounts());
        }
        return bytes.toByteArray();
    }

    @Override
    public List<Entry> list(int version) {
        Path folder = versionDirectory(version);
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher matcher = NAME.matcher(name);
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // a write a crash interrupted
                } else if (matcher.matches()) {
                    entries.add(new Entry(version, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                            Long.parseLong(matcher.group(3)), -1, Files.size(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        return entries;
    }

    @Override
    public List<AccountState> load(Entry entry, CompiledDefinition definition) throws IOException {
        Path file = fileOf(entry);
        long size = Files.size(file);
        CRC32 crc = new CRC32();
        try (InputStream raw = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(
                    new java.util.zip.CheckedInputStream(new BoundedInputStream(raw, size - Long.BYTES), crc), 1 << 16));
            if (in.readLong() != MAGIC) {
                throw new IOException("not a knowledge snapshot");
            }
            if (in.readInt() != entry.version() || in.readInt() != entry.segmentId() || in.readInt() != entry.mask()
                    || in.readLong() != entry.position()) {
                throw new IOException("the header does not match the file name");
            }
            if (definition.version() != entry.version()) {
                throw new IOException("a snapshot of v" + entry.version() + " read for v" + definition.version());
            }
            int count = in.readInt();
            List<AccountState> states = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                states.add(AccountState.readFrom(in, definition));
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
            if (new DataInputStream(raw).readLong() != crc.getValue()) {
                throw new IOException("checksum mismatch");
            }
            return states;
        }
    }

    @Override
    public void delete(Entry entry) {
        try {
            Files.deleteIfExists(fileOf(entry));
        } catch (IOException e) {
            LOG.warn("cannot delete the knowledge snapshot {}: {}", fileOf(entry), e.getMessage());
        }
    }
}
