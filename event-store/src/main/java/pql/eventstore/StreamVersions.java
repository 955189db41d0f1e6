package pql.eventstore;

/** Constants of stream versions and global positions. */
public final class StreamVersions {

    /** The version of a stream that holds no event. */
    public static final long NONE = -1;

    /** The position before the first event of the global log: read "after" it for everything. */
    public static final long BEFORE_FIRST_POSITION = 0;

    private StreamVersions() {
    }
}
