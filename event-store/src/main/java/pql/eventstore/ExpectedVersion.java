package pql.eventstore;

/**
 * Optimistic-concurrency condition of an append, as in EventStoreDB: stream versions
 * count from 0, so a stream holding three events is at version 2.
 */
public record ExpectedVersion(long value) {

    private static final long ANY_VALUE = -2;
    private static final long NO_STREAM_VALUE = -1;
    private static final long STREAM_EXISTS_VALUE = -4;

    /** No check at all. */
    public static final ExpectedVersion ANY = new ExpectedVersion(ANY_VALUE);
    /** The stream must not exist yet. */
    public static final ExpectedVersion NO_STREAM = new ExpectedVersion(NO_STREAM_VALUE);
    /** The stream must hold at least one event. */
    public static final ExpectedVersion STREAM_EXISTS = new ExpectedVersion(STREAM_EXISTS_VALUE);

    public ExpectedVersion {
        if (value < 0 && value != ANY_VALUE && value != NO_STREAM_VALUE && value != STREAM_EXISTS_VALUE) {
            throw new IllegalArgumentException("expected version must be >= 0 or ANY / NO_STREAM / STREAM_EXISTS: " + value);
        }
    }

    /** The stream's last event must be at exactly this version. */
    public static ExpectedVersion exactly(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("an exact expected version is >= 0: " + version);
        }
        return new ExpectedVersion(version);
    }

    public boolean isAny() {
        return value == ANY_VALUE;
    }

    public boolean isNoStream() {
        return value == NO_STREAM_VALUE;
    }

    public boolean isStreamExists() {
        return value == STREAM_EXISTS_VALUE;
    }

    public boolean isExact() {
        return value >= 0;
    }

    /**
     * Whether a stream whose last event is at {@code currentVersion} ({@link StreamVersions#NONE}
     * when the stream does not exist) satisfies this condition.
     */
    public boolean isSatisfiedBy(long currentVersion) {
        if (isAny()) {
            return true;
        }
        if (isNoStream()) {
            return currentVersion == StreamVersions.NONE;
        }
        if (isStreamExists()) {
            return currentVersion != StreamVersions.NONE;
        }
        return currentVersion == value;
    }

    @Override
    public String toString() {
        if (isAny()) {
            return "ANY";
        }
        if (isNoStream()) {
            return "NO_STREAM";
        }
        if (isStreamExists()) {
            return "STREAM_EXISTS";
        }
        return Long.toString(value);
    }
}
