package pql.eventstore;

/** An append's expected version did not hold; nothing was stored. */
public class WrongExpectedVersionException extends RuntimeException {

    private final String streamId;
    private final ExpectedVersion expected;
    private final long actualVersion;

    public WrongExpectedVersionException(String streamId, ExpectedVersion expected, long actualVersion) {
        super("stream " + streamId + " expected at version " + expected + " but is at " + actualVersion);
        this.streamId = streamId;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    public String streamId() {
        return streamId;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
