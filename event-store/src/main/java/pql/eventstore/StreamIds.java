package pql.eventstore;

/** Naming of streams: one per account, plus system streams. */
public final class StreamIds {

    public static final String ACCOUNT_PREFIX = "account-";
    /** Published and activated scoring definitions. */
    public static final String DEFINITIONS = "pql-definitions";
    /** API keys created and revoked at runtime (hashes only), followed by every gateway. */
    public static final String API_KEYS = "pql-api-keys";
    /** ExchangeRate events, whatever account id they were sent with (ingest routes them here). */
    public static final String EXCHANGE_RATES = "pql-exchange-rates";
    /** KurrentDB reserves names starting with '$'; 200 keeps every engine's key small. */
    public static final int MAX_LENGTH = 200;

    private StreamIds() {
    }

    public static String forAccount(String accountId) {
        return ACCOUNT_PREFIX + accountId;
    }

    public static boolean isAccountStream(String streamId) {
        return streamId.startsWith(ACCOUNT_PREFIX);
    }

    public static String accountIdOf(String streamId) {
        if (!isAccountStream(streamId)) {
            throw new IllegalArgumentException("not an account stream: " + streamId);
        }
        return streamId.substring(ACCOUNT_PREFIX.length());
    }

    static void requireValid(String streamId) {
        if (streamId == null || streamId.isEmpty()) {
            throw new IllegalArgumentException("stream id is required");
        }
        if (streamId.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("stream id longer than " + MAX_LENGTH + " characters");
        }
        if (streamId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("stream ids cannot contain NUL characters");
        }
        if (streamId.charAt(0) == '$') {
            throw new IllegalArgumentException("stream ids starting with '$' are reserved: " + streamId);
        }
    }
}
